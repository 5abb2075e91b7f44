package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.InvalidDefinitionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DefinitionValidationTest {

    private static String rejection(String definition) {
        try {
            StateMachineDefinition.parse(definition);
        } catch (InvalidDefinitionException e) {
            return e.getMessage();
        }
        throw new AssertionError("definition was accepted: " + definition);
    }

    @Test
    void missingNextTarget_isReportedWithItsLocation() {
        assertThat(rejection("""
                {"StartAt":"Bar","States":{"Bar":{"Type":"Pass","Next":"Foo"}}}"""))
                .isEqualTo("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Foo "
                        + "at /States/Bar/Next'");
    }

    @Test
    void unreachableState_isRejected() {
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Pass","End":true}}}"""))
                .contains("MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B");
    }

    @Test
    void missingTopLevelFields_areNamed() {
        assertThat(rejection("{\"States\":{}}")).contains("These fields are required: [StartAt] at /");
        assertThat(rejection("{\"StartAt\":\"A\"}")).contains("These fields are required: [States] at /");
    }

    @Test
    void unknownStateTypeAndUnsupportedFields_areRejected() {
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Sleep","End":true}}}""")).contains("/States/A/Type");
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Succeed","Next":"A"}}}""")).contains("/States/A/Next");
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","ResultSelector":{},"End":true}}}"""))
                .contains("/States/A/ResultSelector");
    }

    @Test
    void missingEndOrNext_andBothTogether_areRejected() {
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass"},"B":{"Type":"Succeed"}}}""")).contains("/States/A");
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true},"B":{"Type":"Succeed"}}}"""))
                .contains("/States/A");
    }

    @Test
    void choiceWithoutChoices_isRejected() {
        assertThat(rejection("""
                {"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D"},"D":{"Type":"Succeed"}}}"""))
                .contains("These fields are required: [Choices] at /States/C");
    }

    @Test
    void statesAll_mustBeAloneAndLast() {
        assertThat(rejection("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                  "Retry":[{"ErrorEquals":["States.ALL","X"]}]}}}""")).contains("/States/T/Retry/0/ErrorEquals");
        assertThat(rejection("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"},{"ErrorEquals":["X"],"Next":"T"}]}}}"""))
                .contains("/States/T/Catch/0/ErrorEquals");
    }

    @Test
    void invalidPathsAndTemplates_areRejected() {
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a[","End":true}}}"""))
                .contains("/States/A/InputPath");
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$.items[*]","End":true}}}"""))
                .contains("ReferencePath").contains("/States/A/ResultPath");
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"nope"},"End":true}}}"""))
                .contains("'x.$'").contains("/States/A/Parameters");
        assertThat(rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.Nope()"},"End":true}}}"""))
                .contains("/States/A/Parameters");
    }

    @Test
    void duplicateStateNamesAcrossBranches_areRejected() {
        assertThat(rejection("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}},
                  {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"""))
                .contains("DUPLICATE_STATE_NAME").contains("/States/P/Branches/1/States/B");
    }

    @Test
    void transitionsOutOfABranch_areRejected() {
        assertThat(rejection("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"After","Branches":[
                  {"StartAt":"B","States":{"B":{"Type":"Pass","Next":"After"}}}]},"After":{"Type":"Succeed"}}}"""))
                .contains("Missing 'Next' target: After at /States/P/Branches/0/States/B/Next");
    }

    @Test
    void malformedJson_isInvalidJsonDescription() {
        assertThat(rejection("{\"StartAt\":")).startsWith("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION");
    }

    @Test
    void bothQueryLanguages_areAccepted_anyOtherIsNot() throws Exception {
        var def = StateMachineDefinition.parse("""
                {"QueryLanguage":"JSONPath","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}""");
        assertThat(def.json()).contains("JSONPath");
        assertThat(StateMachineDefinition.parse("""
                {"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% 1 %}","End":true}}}""")
                .compiled().graph().states()).containsKey("A");
        assertThatThrownBy(() -> StateMachineDefinition.parse("""
                {"QueryLanguage":"jq","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"""))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata] at /QueryLanguage");
    }

    @Test
    void multipleProblems_areAllListed() {
        String msg = rejection("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Pass","End":true}}}""");
        assertThat(msg).contains("Missing 'Next' target: X").contains("State \"B\" is not reachable");
    }
}
