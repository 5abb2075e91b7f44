package com.orderflow.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.catalog.FunctionCatalog;
import com.orderflow.local.LocalStackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The local stack reads the function catalog as the CDK app does: every workflow task, under its deployed name. */
class OrderflowFunctionsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+FunctionArn)}");

    @Test
    void registersEveryWorkflowTaskOfTheCatalog_andFillsEveryPlaceholderOfTheDefinition() throws IOException {
        try (var s3 = S3Client.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            var invoker = OrderflowFunctions.register(LocalLambdaInvoker.builder(), s3, "orders").build();

            var expectedNames = new TreeSet<String>();
            FunctionCatalog.workflowTasks().forEach(task -> expectedNames.add("orderflow-local-" + task.name()));
            assertThat(new TreeSet<>(invoker.functionNames())).isEqualTo(expectedNames);

            var definition = Files.readString(Path.of("..").resolve(LocalStackConfig.DEFINITION_FILE));
            var placeholders = new TreeSet<String>();
            PLACEHOLDER.matcher(definition).results().forEach(m -> placeholders.add(m.group(1)));
            var substitutions = OrderflowFunctions.definitionSubstitutions(invoker);
            assertThat(new TreeSet<>(substitutions.keySet())).isEqualTo(placeholders);
            assertThat(substitutions.get("PersistOrderFunctionArn")).endsWith(":function:orderflow-local-persist-order:live");
        }
    }
}
