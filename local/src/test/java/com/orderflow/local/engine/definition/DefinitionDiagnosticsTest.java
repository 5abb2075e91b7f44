package com.orderflow.local.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.local.engine.InvalidDefinitionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins every diagnostic the definition package can give, word for word and in order: code, message and
 * pointer. Each line of {@code definition/diagnostics.tsv} is one definition and its full answer.
 */
class DefinitionDiagnosticsTest {

    record Case(String name, String definition, String outcome) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        try (var in = Objects.requireNonNull(DefinitionDiagnosticsTest.class.getResourceAsStream(
                "/definition/diagnostics.tsv"), "definition/diagnostics.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1))
                    .map(parts -> new Case(parts[0], parts[1], parts[2]))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void definition_getsExactlyItsRecordedDiagnostics(Case c) {
        assertThat(outcome(c.definition())).isEqualTo(c.outcome());
    }

    @Test
    void corpus_coversManyDiagnosticsAndAcceptsAValidDefinition() {
        assertThat(cases()).hasSizeGreaterThan(90).anyMatch(c -> c.outcome().equals("ACCEPTED"));
    }

    private static String outcome(String definition) {
        try {
            StateMachineDefinition.parse(definition);
            return "ACCEPTED";
        } catch (InvalidDefinitionException e) {
            return e.getMessage();
        }
    }
}
