package com.orderflow.priming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Priming is the handlers' to describe (issue 19): the package runs what a {@link PrimedHandler} offers and imports
 * nothing of the API, the workflow, the order model or the client setup. A priming class that named one of them
 * would fail here.
 */
class PrimingKnowsNoHandlerTest {

    private static final Path SOURCES = Path.of("src/main/java/com/orderflow/priming");
    /**
     * The runtime's JSON mapping, which priming runs events through as Lambda does, and the Lambda context it hands
     * the handler are the project's only imports.
     */
    private static final Pattern PROJECT_IMPORT = Pattern.compile(
            "^import (static )?com\\.orderflow\\.(?!priming\\.|json\\.LambdaJsonSerializer;|aws\\.InvocationContext;)(\\S+);",
            Pattern.MULTILINE);

    @Test
    void noPrimingSource_importsAHandlerOrTheOrderModel() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).extracting(f -> f.getFileName().toString())
                .contains("Priming.java", "PrimedHandler.java", "PrimingTransport.java", "CannedAnswers.java");

        for (var source : sources) {
            var text = Files.readString(source);
            var imports = PROJECT_IMPORT.matcher(text).results().map(m -> m.group(2)).toList();
            assertThat(imports).as(source.getFileName() + " imports").isEmpty();
            assertThat(text).as(source.getFileName() + " names a handler").doesNotContainPattern("[A-Z][A-Za-z]*Handler\\b(?<!PrimedHandler)(?<!RequestHandler)");
        }
    }
}
