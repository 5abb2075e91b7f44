package com.orderflow.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArnTest {

    @Test
    void parse_takesEveryPartApart_andFormatsBackTheSameText() {
        var text = "arn:aws:states:eu-west-1:123456789012:execution:orderflow-dev-orders:ord_1";
        var arn = Arn.parse(text).orElseThrow();

        assertThat(arn.partition()).isEqualTo("aws");
        assertThat(arn.service()).isEqualTo("states");
        assertThat(arn.region()).isEqualTo("eu-west-1");
        assertThat(arn.account()).isEqualTo("123456789012");
        assertThat(arn.resourceParts()).containsExactly("execution", "orderflow-dev-orders", "ord_1");
        assertThat(arn.is("states", "execution", 3)).isTrue();
        assertThat(arn).hasToString(text);
    }

    @Test
    void globalResources_otherPartitions_andSlashResources() {
        assertThat(Arn.parse("arn:aws:s3:::orders-bucket").orElseThrow().resource()).isEqualTo("orders-bucket");
        assertThat(Arn.parse("arn:aws:iam::123456789012:role/x").orElseThrow().resourceType()).isEqualTo("role/x");
        assertThat(Arn.parse("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:api:live").orElseThrow()
                .is("lambda", "function", 3)).isTrue();
        assertThat(Arn.parse("arn:aws:states:::lambda:invoke").orElseThrow().resourceParts())
                .containsExactly("lambda", "invoke");
    }

    @Test
    void textsThatAreNoArn_areEmpty_andRequireSaysWhatWasExpected() {
        assertThat(Arn.parse(null)).isEmpty();
        assertThat(Arn.parse("my-function")).isEmpty();
        assertThat(Arn.parse("123456789012:function:my-function")).isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu-west-1:123456789012")).isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu-west-1:12345:stateMachine:x")).isEmpty();
        assertThat(Arn.parse("arn:aws:states:Europe:123456789012:stateMachine:x")).isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu-west-1:123456789012:")).isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu-1:123456789012:stateMachine:x")).as("two words").isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu--west-1:123456789012:stateMachine:x")).as("double dash").isEmpty();
        assertThat(Arn.parse("arn:aws:states:e1-west-1:123456789012:stateMachine:x")).as("digit in the first").isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu-west-x:123456789012:stateMachine:x")).as("no number").isEmpty();
        assertThat(Arn.parse("arn:aws:states:eu-west-1:12345678901a:stateMachine:x")).as("account").isEmpty();
        assertThat(Arn.parse("arn::states:eu-west-1:123456789012:stateMachine:x")).as("no partition").isEmpty();
        assertThat(Arn.parse("arn:aws:States:eu-west-1:123456789012:stateMachine:x")).as("uppercase").isEmpty();
        assertThat(Arn.parse("arn:aws:states:us-gov-west-1:aws:activity:x")).as("AWS-owned").isPresent();
        assertThatThrownBy(() -> Arn.require("nope", "a state machine ARN"))
                .hasMessage("not a state machine ARN: nope");
    }
}
