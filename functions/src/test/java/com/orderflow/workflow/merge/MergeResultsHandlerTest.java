package com.orderflow.workflow.merge;

import com.orderflow.order.Compensation;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.TestOrders;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.MergeResultsInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MergeResultsHandlerTest {

    private final MergeResultsHandler handler = new MergeResultsHandler();

    @ParameterizedTest
    @CsvSource({
            "RESERVED,     AUTHORIZED, COMPLETED, NONE",
            "RESERVED,     DECLINED,   REJECTED,  RELEASE_INVENTORY",
            "OUT_OF_STOCK, AUTHORIZED, REJECTED,  VOID_PAYMENT",
            "OUT_OF_STOCK, DECLINED,   REJECTED,  NONE"})
    void decidesStatusAndCompensation(InventoryResult.Status inventory, PaymentResult.Status payment,
                                      OrderStatus status, Compensation compensation) {
        var id = TestOrders.ORDER_ID;
        var input = new MergeResultsInput(TestOrders.valid(),
                new InventoryResult(id, inventory, null, inventory == InventoryResult.Status.OUT_OF_STOCK ? List.of("SKU-RARE-404") : null),
                new PaymentResult(id, payment, null, payment == PaymentResult.Status.DECLINED ? "card declined" : null));

        var outcome = handler.handleRequest(input, null);

        assertThat(outcome.status()).isEqualTo(status);
        assertThat(outcome.compensation()).isEqualTo(compensation);
    }

    @Test
    void missingResults_areNamedInvalidStepInput() {
        var reserved = new InventoryResult(TestOrders.ORDER_ID, InventoryResult.Status.RESERVED, "r", null);

        assertThatThrownBy(() -> handler.handleRequest(new MergeResultsInput(TestOrders.valid(), null, null), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: inventory is required");
        assertThatThrownBy(() -> handler.handleRequest(new MergeResultsInput(TestOrders.valid(), reserved,
                new PaymentResult(TestOrders.ORDER_ID, null, null, null)), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: payment.status is required");
        assertThatThrownBy(() -> handler.handleRequest(null, null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: input is required");
    }
}
