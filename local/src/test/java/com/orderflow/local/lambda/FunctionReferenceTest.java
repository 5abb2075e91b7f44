package com.orderflow.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FunctionReferenceTest {

    @Test
    void readsEveryFormLambdaInvokeAccepts() {
        assertThat(FunctionReference.parse("fn")).contains(new FunctionReference("fn", null));
        assertThat(FunctionReference.parse("fn:live")).contains(new FunctionReference("fn", "live"));
        assertThat(FunctionReference.parse("arn:aws:lambda:eu-west-1:123456789012:function:fn"))
                .contains(new FunctionReference("fn", null));
        assertThat(FunctionReference.parse("arn:aws:lambda:eu-west-1:123456789012:function:fn:$LATEST"))
                .contains(new FunctionReference("fn", "$LATEST"));
        assertThat(FunctionReference.parse("123456789012:function:fn:12")).contains(new FunctionReference("fn", "12"));
        assertThat(FunctionReference.parse("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:fn:live"))
                .contains(new FunctionReference("fn", "live"));
    }

    @Test
    void refusesWhatIsNoFunctionReference() {
        assertThat(FunctionReference.parse("arn:aws:states:::lambda:invoke")).isEmpty();
        assertThat(FunctionReference.parse("fn:a:b")).isEmpty();
        assertThat(FunctionReference.parse("arn:aws:lambda:eu-west-1:123456789012:layer:fn")).isEmpty();
        assertThat(FunctionReference.parse("arn:aws:lambda:eu-west-1:123:function:fn")).isEmpty();
        assertThat(FunctionReference.parse("")).isEmpty();
        assertThat(FunctionReference.parse(null)).isEmpty();
    }

    @Test
    void executedVersion_isTheNumericQualifierOrLatest() {
        assertThat(new FunctionReference("fn", "4").executedVersion()).isEqualTo("4");
        assertThat(new FunctionReference("fn", "live").executedVersion()).isEqualTo("$LATEST");
        assertThat(new FunctionReference("fn", null).executedVersion()).isEqualTo("$LATEST");
    }
}
