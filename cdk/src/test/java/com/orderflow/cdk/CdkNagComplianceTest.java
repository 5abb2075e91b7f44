package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;


/** cdk-nag's AwsSolutions pack runs over the dev stack; every finding is fixed or suppressed with a reason. */
class CdkNagComplianceTest {

    private static final Pattern QUOTED_CELL = Pattern.compile("\"((?:[^\"]|\"\")*)\"");

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
    }

    @Test
    void awsSolutionsChecks_reportNoUnsuppressedErrors() {
        assertThat(findings("error")).isEmpty();
    }

    @Test
    void synthesis_reportsNoUnacknowledgedWarnings_fromNagOrFromCdk() {
        assertThat(findings("warning")).isEmpty();
    }

    @Test
    void everySuppression_givesAReason_andWildcardSuppressionsNameWhatTheyAllow() {
        var suppressions = new ArrayList<JsonNode>();
        synth.json().path("Resources").forEach(r -> r.at("/Metadata/cdk_nag/rules_to_suppress").forEach(suppressions::add));

        assertThat(suppressions).isNotEmpty();
        for (var suppression : suppressions) {
            assertThat(suppression.path("reason").asText()).as(suppression.toString()).hasSizeGreaterThan(40);
            if (suppression.path("id").asText().matches("AwsSolutions-IAM[45]")) {
                assertThat(suppression.path("applies_to").size()).as(suppression.toString()).isPositive();
            }
        }
    }

    @Test
    void onlyTheKnownRules_areSuppressed() {
        var ids = new TreeSet<String>();
        synth.json().path("Resources").forEach(r -> r.at("/Metadata/cdk_nag/rules_to_suppress")
                .forEach(s -> ids.add(s.path("id").asText())));

        // IAM5: X-Ray/log-delivery "*" and run-time object/execution names; IAM4: API Gateway's CloudWatch role;
        // APIG4/COG4: public order API
        assertThat(ids).containsExactlyInAnyOrder("AwsSolutions-IAM5", "AwsSolutions-IAM4", "AwsSolutions-APIG4", "AwsSolutions-COG4");
    }

    @Test
    void nagReport_isCompliantOrSuppressedOnEveryRow_andEverySuppressionIsUsed() throws IOException {
        var rows = reportRows();
        var suppressedInTemplate = new TreeSet<String>();
        synth.json().path("Resources").forEach(r -> r.at("/Metadata/cdk_nag/rules_to_suppress")
                .forEach(s -> suppressedInTemplate.add(s.path("id").asText())));

        assertThat(rows).isNotEmpty();
        assertThat(rows).allSatisfy(row -> assertThat(row.get(2)).as(String.join(" ", row)).isIn("Compliant", "Suppressed"));
        var suppressedInReport = new TreeSet<String>();
        rows.stream().filter(r -> r.get(2).equals("Suppressed")).forEach(r -> suppressedInReport.add(r.get(0)));
        assertThat(suppressedInReport).isEqualTo(suppressedInTemplate);
    }

    @Test
    void nagReport_showsTheSecurityControlsCompliant() throws IOException {
        var compliant = new TreeSet<String>();
        reportRows().stream().filter(r -> r.get(2).equals("Compliant")).forEach(r -> compliant.add(r.get(0)));

        // access logs, request validation, WAF, execution logs, TLS-only buckets, SFN logs and traces, key rotation, SNS TLS
        assertThat(compliant).contains("AwsSolutions-APIG1", "AwsSolutions-APIG2", "AwsSolutions-APIG3", "AwsSolutions-APIG6",
                "AwsSolutions-S1", "AwsSolutions-S2", "AwsSolutions-S10", "AwsSolutions-SF1", "AwsSolutions-SF2",
                "AwsSolutions-KMS5", "AwsSolutions-L1", "AwsSolutions-SNS3");
    }

    @Test
    void findingsCollection_seesNagErrors_onANonCompliantStack(@TempDir Path dir) {
        // proves that the empty lists above mean "compliant", not "nothing collected"
        var app = new App(AppProps.builder().outdir(dir.toString()).analyticsReporting(false).build());
        var stack = new Stack(app, "plain");
        new Bucket(stack, "PlainBucket");
        Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().reports(false).build()));
        app.synth();

        assertThat(SynthesizedStack.findings(stack))
                .anySatisfy(f -> assertThat(f.toString()).contains("[error]", "AwsSolutions-S10"));
    }

    private static List<String> findings(String level) {
        return synth.messages().stream().filter(m -> m.level().equals(level)).map(Object::toString).toList();
    }

    /** The CSV that cdk-nag writes next to the template: rule, resource path, compliance, reason, level, info. */
    private static List<List<String>> reportRows() throws IOException {
        var csv = Path.of(synth.assembly().getDirectory()).resolve("AwsSolutions-orderflow-dev-NagReport.csv");
        var lines = Files.readAllLines(csv);
        var rows = new ArrayList<List<String>>();
        for (var line : lines.subList(1, lines.size())) {
            var cells = new ArrayList<String>();
            var matcher = QUOTED_CELL.matcher(line);
            while (matcher.find()) {
                cells.add(matcher.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }
}
