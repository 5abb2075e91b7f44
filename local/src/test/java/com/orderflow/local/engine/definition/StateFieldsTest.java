package com.orderflow.local.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateFieldsTest {

    @Test
    void jsonPathStates_allowTheFieldsOfTheirType_andNoOthers() {
        assertThat(StateFields.allowed("Pass", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type", "Comment",
                "QueryLanguage", "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result");
        assertThat(StateFields.allowed("Task", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type", "Comment",
                "QueryLanguage", "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
                "ResultSelector", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
                "HeartbeatSecondsPath", "Retry", "Catch", "Credentials");
        assertThat(StateFields.allowed("Choice", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type", "Comment",
                "QueryLanguage", "Assign", "InputPath", "OutputPath", "Choices", "Default");
        assertThat(StateFields.allowed("Wait", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type", "Comment",
                "QueryLanguage", "Assign", "Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp",
                "SecondsPath", "TimestampPath");
        assertThat(StateFields.allowed("Succeed", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type",
                "Comment", "QueryLanguage", "InputPath", "OutputPath");
        assertThat(StateFields.allowed("Fail", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type", "Comment",
                "QueryLanguage", "Error", "Cause", "ErrorPath", "CausePath");
        assertThat(StateFields.allowed("Parallel", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type",
                "Comment", "QueryLanguage", "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath",
                "Parameters", "ResultSelector", "Branches", "Retry", "Catch");
        assertThat(StateFields.allowed("Map", QueryLanguage.JSONPATH)).containsExactlyInAnyOrder("Type", "Comment",
                "QueryLanguage", "Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "ResultSelector",
                "ItemsPath", "ItemSelector", "Parameters", "Iterator", "ItemProcessor", "MaxConcurrency",
                "MaxConcurrencyPath", "Retry", "Catch", "Label", "ItemReader", "ItemBatcher", "ResultWriter",
                "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount",
                "ToleratedFailureCountPath");
    }

    @Test
    void types_areListedInTheOrderDiagnosticsName() {
        assertThat(StateFields.TYPES).containsExactly("Choice", "Fail", "Map", "Parallel", "Pass", "Succeed", "Task",
                "Wait");
        assertThat(StateFields.isType("Sleep")).isFalse();
    }

    @Test
    void queryLanguage_isFoundByTheNameADefinitionDeclares() {
        assertThat(QueryLanguage.named("JSONPath")).contains(QueryLanguage.JSONPATH);
        assertThat(QueryLanguage.named("jsonpath")).isEmpty();
        assertThat(QueryLanguage.named("JSONata")).contains(QueryLanguage.JSONATA);
        assertThat(QueryLanguage.named("jsonata")).isEmpty();
    }
}
