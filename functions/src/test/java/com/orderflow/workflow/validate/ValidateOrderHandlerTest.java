package com.orderflow.workflow.validate;

import com.orderflow.order.Order;
import com.orderflow.order.TestOrders;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;
import org.junit.jupiter.api.Test;

import static com.orderflow.order.TestOrders.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidateOrderHandlerTest {

    private final ValidateOrderHandler handler = new ValidateOrderHandler();

    @Test
    void validOrder_isValid() {
        var result = handler.handleRequest(new OrderInput(TestOrders.valid()), null);

        assertThat(result.valid()).isTrue();
    }

    @Test
    void businessInvalidOrder_isAResultWithReasons_notAnError() {
        var result = handler.handleRequest(new OrderInput(TestOrders.order("tok_visa", "1.00",
                line("SKU-BOOK-001", 1, "39.99"))), null);

        assertThat(result.valid()).isFalse();
        assertThat(result.reasons()).containsExactly("total 1.00 does not equal the sum of the lines 39.99");
        assertThat(result.reason()).isEqualTo("Order.Invalid: total 1.00 does not equal the sum of the lines 39.99");
    }

    @Test
    void missingOrder_isNamedInvalidStepInput() {
        assertThatThrownBy(() -> handler.handleRequest(new OrderInput(null), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order is required");
        assertThatThrownBy(() -> handler.handleRequest(null, null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order is required");
    }

    @Test
    void missingOrMalformedOrderId_isNamedInvalidStepInput() {
        var o = TestOrders.valid();
        var noId = new Order(null, o.customer(), o.currency(), o.items(), o.payment(), o.total());
        var badId = new Order("../../etc/passwd", o.customer(), o.currency(), o.items(), o.payment(), o.total());

        assertThatThrownBy(() -> handler.handleRequest(new OrderInput(noId), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order.orderId is required");
        assertThatThrownBy(() -> handler.handleRequest(new OrderInput(badId), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order.orderId must match ^ord_[0-9a-z]{26}$");
    }
}
