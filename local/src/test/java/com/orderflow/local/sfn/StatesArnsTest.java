package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ARNs read as AWS writes them, this region's by a shortcut and every other by the pattern; ids in AWS's shape. */
class StatesArnsTest {

    private final StatesArns arns = new StatesArns("us-east-1", "000000000000");

    @Test
    void stateMachineName_readsLocalAndForeignArns_andRefusesWhatIsNotOne() {
        assertThat(arns.stateMachineName(arns.stateMachineArn("orders"))).isEqualTo("orders");
        assertThat(arns.stateMachineName("arn:aws:states:eu-west-1:123456789012:stateMachine:other")).isEqualTo("other");
        assertThat(arns.stateMachineName("arn:aws-cn:states:cn-north-1:123456789012:stateMachine:cn")).isEqualTo("cn");
        for (String bad : new String[] {"arn:aws:states:us-east-1:000000000000:stateMachine:",
                "arn:aws:states:us-east-1:000000000000:stateMachine:a:b", "arn:aws:states:us-east-1:000000000000:stateMachin:a",
                "arn:aws:states:us-east-1:00000000000:stateMachine:a", "orders", ""}) {
            assertThatThrownBy(() -> arns.stateMachineName(bad)).as(bad).isInstanceOfSatisfying(StepFunctionsException.class,
                    e -> assertThat(e.code()).isEqualTo("InvalidArn"));
        }
    }

    @Test
    void requestIds_areDistinctVersion4Uuids() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.next();
            var uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).hasSize(36);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}
