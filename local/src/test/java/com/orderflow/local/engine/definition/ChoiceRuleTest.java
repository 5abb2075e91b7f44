package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.run.EngineFixture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChoiceRuleTest {

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource(delimiter = '|', value = {
        "log-*.txt|log-2024.txt|true",
        "log-*.txt|log-2024.csv|false",
        "*|anything|true",
        "a\\*b|a*b|true",
        "a\\*b|axb|false",
        "a\\\\b|a\\b|true",
        "*mid*|xxmidyy|true",
        "exact|exact|true",
        "exact|exactly|false"})
    void stringMatches_supportsWildcardsAndEscapes(String pattern, String value, boolean expected) {
        assertThat(ChoiceRule.matches(value, pattern)).isEqualTo(expected);
    }

    @Test
    void timestamps_requireRfc3339WithUppercaseSeparators() {
        assertThat(ChoiceRule.timestamp("2016-08-18T17:33:00Z")).isNotNull();
        assertThat(ChoiceRule.timestamp("2016-08-18T17:33:00.123+02:00")).isNotNull();
        assertThat(ChoiceRule.timestamp("2016-08-18t17:33:00Z")).isNull();
        assertThat(ChoiceRule.timestamp("2016-08-18")).isNull();
    }

    private static String route(String rule, String input) {
        var r = EngineFixture.run("""
                {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[%s],"Default":"No"},
                  "Yes":{"Type":"Pass","Result":"yes","End":true},"No":{"Type":"Pass","Result":"no","End":true}}}"""
                .formatted(rule), input);
        return r.output().asText();
    }

    @Test
    void comparisons_withWrongTypes_areFalseNotErrors() {
        assertThat(route("{\"Variable\":\"$.v\",\"NumericEquals\":1,\"Next\":\"Yes\"}", "{\"v\":\"1\"}")).isEqualTo("no");
        assertThat(route("{\"Variable\":\"$.v\",\"StringEquals\":\"1\",\"Next\":\"Yes\"}", "{\"v\":1}")).isEqualTo("no");
    }

    @Test
    void numericComparison_isByValue() {
        assertThat(route("{\"Variable\":\"$.v\",\"NumericEquals\":1,\"Next\":\"Yes\"}", "{\"v\":1.0}")).isEqualTo("yes");
        assertThat(route("{\"Variable\":\"$.v\",\"NumericLessThanEquals\":2.5,\"Next\":\"Yes\"}", "{\"v\":2.5}"))
                .isEqualTo("yes");
    }

    @Test
    void pathVariants_compareTwoValuesOfTheInput() {
        assertThat(route("{\"Variable\":\"$.a\",\"NumericGreaterThanPath\":\"$.b\",\"Next\":\"Yes\"}",
                "{\"a\":3,\"b\":2}")).isEqualTo("yes");
        assertThat(route("{\"Variable\":\"$.a\",\"TimestampLessThanPath\":\"$.b\",\"Next\":\"Yes\"}",
                "{\"a\":\"2020-01-01T00:00:00Z\",\"b\":\"2021-01-01T00:00:00Z\"}")).isEqualTo("yes");
    }

    @Test
    void booleanCombinators_andTypeTests() {
        String rule = """
                {"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.a","IsNull":true}},
                  {"Or":[{"Variable":"$.a","IsString":true},{"Variable":"$.a","IsNumeric":true}]}],"Next":"Yes"}""";
        assertThat(route(rule, "{\"a\":\"s\"}")).isEqualTo("yes");
        assertThat(route(rule, "{\"a\":null}")).isEqualTo("no");
        assertThat(route(rule, "{}")).isEqualTo("no");
    }

    @Test
    void noMatchWithoutDefault_failsWithNoChoiceMatched() {
        var r = EngineFixture.run("""
                {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
                  {"Variable":"$.v","BooleanEquals":true,"Next":"Yes"}]},"Yes":{"Type":"Succeed"}}}""", "{\"v\":false}");
        assertThat(r.failed().error()).isEqualTo("States.NoChoiceMatched");
    }
}
