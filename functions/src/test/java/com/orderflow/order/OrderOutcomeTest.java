package com.orderflow.order;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class OrderOutcomeTest {

    private static final String ID = TestOrders.ORDER_ID;
    private static final InventoryResult RESERVED =
            new InventoryResult(ID, InventoryResult.Status.RESERVED, "res_1", null);
    private static final InventoryResult OUT_OF_STOCK =
            new InventoryResult(ID, InventoryResult.Status.OUT_OF_STOCK, null, List.of("SKU-RARE-404"));
    private static final PaymentResult AUTHORIZED =
            new PaymentResult(ID, PaymentResult.Status.AUTHORIZED, "auth_1", null);
    private static final PaymentResult DECLINED =
            new PaymentResult(ID, PaymentResult.Status.DECLINED, null, "card declined (tok_chargeDeclined)");

    @Test
    void reservedAndAuthorized_completesWithoutCompensation() {
        var outcome = OrderOutcome.merge(RESERVED, AUTHORIZED);

        assertThat(outcome.status()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(outcome.compensation()).isEqualTo(Compensation.NONE);
        assertThat(outcome.reason()).isNull();
        assertThat(outcome.inventory()).isEqualTo(RESERVED);
        assertThat(outcome.payment()).isEqualTo(AUTHORIZED);
    }

    @Test
    void reservedButDeclined_isRejectedAndReleasesInventory() {
        var outcome = OrderOutcome.merge(RESERVED, DECLINED);

        assertThat(outcome.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(outcome.compensation()).isEqualTo(Compensation.RELEASE_INVENTORY);
        assertThat(outcome.reason()).isEqualTo("Payment.Declined: card declined (tok_chargeDeclined)");
    }

    @Test
    void authorizedButOutOfStock_isRejectedAndVoidsPayment() {
        var outcome = OrderOutcome.merge(OUT_OF_STOCK, AUTHORIZED);

        assertThat(outcome.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(outcome.compensation()).isEqualTo(Compensation.VOID_PAYMENT);
        assertThat(outcome.reason()).isEqualTo("Inventory.OutOfStock: SKU-RARE-404");
    }

    @Test
    void outOfStockAndDeclined_isRejectedWithNothingToUndo() {
        var outcome = OrderOutcome.merge(OUT_OF_STOCK, DECLINED);

        assertThat(outcome.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(outcome.compensation()).isEqualTo(Compensation.NONE);
        assertThat(outcome.reason())
                .isEqualTo("Inventory.OutOfStock: SKU-RARE-404; Payment.Declined: card declined (tok_chargeDeclined)");
    }

    @Test
    void failed_carriesTheFailureAndNamesItsError() {
        var outcome = OrderOutcome.failed(new FailureInfo("com.example.Boom", "{}"));

        assertThat(outcome.status()).isEqualTo(OrderStatus.FAILED);
        assertThat(outcome.reason()).isEqualTo("Technical failure: com.example.Boom");
        assertThat(outcome.failure().error()).isEqualTo("com.example.Boom");
    }

    @Test
    void merge_withoutAResult_refusesLoudly() {
        assertThatNullPointerException().isThrownBy(() -> OrderOutcome.merge(null, AUTHORIZED)).withMessage("inventory");
    }
}
