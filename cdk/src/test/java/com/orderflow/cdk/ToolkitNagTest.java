package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.cdk.deploy.ToolkitTemplate;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cloudformation.include.CfnInclude;

/**
 * cdk-nag's AwsSolutions pack over the toolkit template bootstrap deploys (read in with CfnInclude, as it is not
 * synthesized by CDK): no unsuppressed finding, and only the one suppression the template carries with its reason.
 */
class ToolkitNagTest {

    @Test
    void toolkitTemplate_asBootstrapDeploysItOnAws_hasNoUnsuppressedNagFinding(@TempDir Path dir) throws Exception {
        var findings = nag(dir, true);

        assertThat(findings).isEmpty();
    }

    @Test
    void withoutTheTlsOnlyPolicy_nagFlagsTheBucket_provingTheCheckRuns(@TempDir Path dir) throws Exception {
        // the opt-out exists only for plain-http endpoints of one's own, never AWS; nag is right to flag it
        var findings = nag(dir, false);

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.toString()).contains("[error]", "AwsSolutions-S10"));
    }

    private static List<SynthesizedStack.Finding> nag(Path dir, boolean tlsOnly) throws Exception {
        var template = Files.writeString(dir.resolve("toolkit.template.json"), ToolkitTemplate.json(tlsOnly));
        var app = new App(AppProps.builder().outdir(dir.resolve("cdk.out").toString()).analyticsReporting(false).build());
        var stack = new Stack(app, "OrderflowToolkit");
        CfnInclude.Builder.create(stack, "Toolkit").templateFile(template.toString()).build();
        Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().reports(false).build()));
        app.synth();
        return SynthesizedStack.findings(stack);
    }
}
