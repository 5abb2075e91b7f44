package com.orderflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The catalog against the project it describes: the workflow's placeholders, the handlers' sources, the events. */
class FunctionCatalogTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+FunctionArn)}");

    @Test
    void workflowTasks_areExactlyThePlaceholdersOfTheDefinition() throws IOException {
        var definition = Files.readString(ROOT.resolve("statemachine/order-workflow.asl.json"));
        var placeholders = new TreeSet<String>();
        PLACEHOLDER.matcher(definition).results().forEach(m -> placeholders.add(m.group(1)));

        var tasks = new TreeSet<String>();
        FunctionCatalog.workflowTasks().forEach(f -> tasks.add(f.aslPlaceholder()));

        assertThat(placeholders).isNotEmpty();
        assertThat(tasks).isEqualTo(placeholders);
    }

    @Test
    void everyHandler_isARequestHandlerInTheFunctionsModule_andEveryEventExists() throws IOException {
        assertThat(FunctionCatalog.all()).hasSizeGreaterThan(FunctionCatalog.workflowTasks().size());
        for (var function : FunctionCatalog.all()) {
            var source = ROOT.resolve("functions/src/main/java/" + function.handler().replace('.', '/') + ".java");
            assertThat(source).as(function.name()).isRegularFile();
            assertThat(Files.readString(source)).as(function.name()).contains("implements RequestHandler<");
            function.optionalEvent().ifPresent(e -> assertThat(ROOT.resolve(e)).as(function.name()).isRegularFile());
            function.optionalAwsCallEvent().ifPresent(e -> assertThat(ROOT.resolve(e)).as(function.name()).isRegularFile());
            assertThat(function.event() != null || function.awsCallEvent() != null).as(function.name() + " has a sample event").isTrue();
        }
    }

    @Test
    void namedAndPascalName_readTheEntries() {
        assertThat(FunctionCatalog.named("validate-order").pascalName()).isEqualTo("ValidateOrder");
        assertThat(FunctionCatalog.named("api").isWorkflowTask()).isFalse();
    }
}
