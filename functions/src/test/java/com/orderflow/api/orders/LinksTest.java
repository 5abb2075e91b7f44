package com.orderflow.api.orders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinksTest {

    private static final String ARN = "arn:aws:states:eu-west-1:123456789012:execution:orderflow-dev-order-workflow:ord_x";

    @Test
    void onAws_executionLinksToTheConsoleInTheExecutionsRegion() {
        var links = new Links("/dev", "us-east-1", null);

        assertThat(links.execution(ARN)).isEqualTo(
                "https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/" + ARN);
        assertThat(links.order("ord_x")).isEqualTo("/dev/orders/ord_x");
    }

    @Test
    void locally_executionLinksToTheExecutionView() {
        var links = new Links("", "us-east-1", "http://localhost:3000/");

        assertThat(links.execution(ARN)).isEqualTo("http://localhost:3000/executions/"
                + "arn%3Aaws%3Astates%3Aeu-west-1%3A123456789012%3Aexecution%3Aorderflow-dev-order-workflow%3Aord_x");
        assertThat(links.history("ord_x")).isEqualTo("/orders/ord_x/history");
    }

    @Test
    void anOddBasePath_isDropped() {
        for (var odd : new String[]{"/dev\"><script>", "dev", "/dev/", "//evil.example", "/a b"}) {
            assertThat(new Links(odd, "us-east-1", null).orders()).as(odd).isEqualTo("/orders");
        }
        assertThat(new Links("/v1/shop", "us-east-1", null).orders()).isEqualTo("/v1/shop/orders");
    }

    @Test
    void onlyDottedCapitalizedErrorNames_arePublic() {
        assertThat(OrderViews.isPublicErrorName("States.Timeout")).isTrue();
        assertThat(OrderViews.isPublicErrorName("Lambda.ServiceException")).isTrue();
        assertThat(OrderViews.isPublicErrorName("com.orderflow.order.payment.PaymentGatewayException")).isFalse();
        assertThat(OrderViews.isPublicErrorName("IllegalStateException")).isFalse();
        assertThat(OrderViews.isPublicErrorName("States.")).isFalse();
        assertThat(OrderViews.isPublicErrorName(null)).isFalse();
    }

    @Test
    void stateMachine_derivesExecutionArns() {
        var machine = StateMachineArn.parse("arn:aws:states:us-east-1:123456789012:stateMachine:orderflow-dev-order-workflow");

        assertThat(machine.executionArn("ord_x"))
                .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:orderflow-dev-order-workflow:ord_x");
        assertThat(machine.region()).isEqualTo("us-east-1");
    }
}
