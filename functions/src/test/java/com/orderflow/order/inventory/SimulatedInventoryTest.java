package com.orderflow.order.inventory;

import com.orderflow.order.InventoryResult;
import com.orderflow.order.TestOrders;
import org.junit.jupiter.api.Test;

import static com.orderflow.order.TestOrders.line;
import static com.orderflow.order.TestOrders.order;
import static org.assertj.core.api.Assertions.assertThat;

class SimulatedInventoryTest {

    private final SimulatedInventory inventory = SimulatedInventory.standard();

    @Test
    void inStockLines_areReservedUnderAnIdDerivedFromTheOrder() {
        var result = inventory.reserve(TestOrders.valid());

        assertThat(result.status()).isEqualTo(InventoryResult.Status.RESERVED);
        assertThat(result.reservationId()).isEqualTo("res_01jd8x7k2m9q4r5s6t7v8w9x0y");
        assertThat(result.unavailableSkus()).isEmpty();
        assertThat(inventory.holdsReservation(TestOrders.ORDER_ID)).isTrue();
    }

    @Test
    void outOfStockSku_isReportedAndNothingIsReserved() {
        var result = inventory.reserve(order("tok_visa", "289.99",
                line("SKU-RARE-404", 1, "250.00"), line("SKU-BOOK-001", 1, "39.99")));

        assertThat(result.status()).isEqualTo(InventoryResult.Status.OUT_OF_STOCK);
        assertThat(result.unavailableSkus()).containsExactly("SKU-RARE-404");
        assertThat(result.reservationId()).isNull();
        assertThat(inventory.holdsReservation(TestOrders.ORDER_ID)).isFalse();
    }

    @Test
    void quantityAboveStock_isOutOfStock_butExactlyTheStockIsReserved() {
        var above = inventory.reserve(order(TestOrders.id("above"), "tok_visa", "1170.00", line("SKU-LAMP-003", 26, "45.00")));
        var exact = inventory.reserve(order(TestOrders.id("exact"), "tok_visa", "1125.00", line("SKU-LAMP-003", 25, "45.00")));

        assertThat(above.status()).isEqualTo(InventoryResult.Status.OUT_OF_STOCK);
        assertThat(above.unavailableSkus()).containsExactly("SKU-LAMP-003");
        assertThat(exact.status()).isEqualTo(InventoryResult.Status.RESERVED);
    }

    @Test
    void reservationsDoNotDepleteStock_soEveryRunGivesTheSameAnswer() {
        var first = inventory.reserve(order(TestOrders.id("above"), "tok_visa", "1125.00", line("SKU-LAMP-003", 25, "45.00")));
        var second = inventory.reserve(order(TestOrders.id("exact"), "tok_visa", "1125.00", line("SKU-LAMP-003", 25, "45.00")));

        assertThat(first.status()).isEqualTo(InventoryResult.Status.RESERVED);
        assertThat(second.status()).isEqualTo(InventoryResult.Status.RESERVED);
    }

    @Test
    void reservingTheSameOrderTwice_returnsTheSameReservation() {
        var first = inventory.reserve(TestOrders.valid());
        var again = inventory.reserve(TestOrders.valid());

        assertThat(again).isEqualTo(first);
    }

    @Test
    void release_afterReserve_releasesOnce_thenIsANoOp() {
        inventory.reserve(TestOrders.valid());

        var first = inventory.release(TestOrders.ORDER_ID);
        var second = inventory.release(TestOrders.ORDER_ID);

        assertThat(first).isEqualTo(new ReleaseResult(TestOrders.ORDER_ID, ReleaseResult.Action.RELEASED,
                "res_01jd8x7k2m9q4r5s6t7v8w9x0y"));
        assertThat(second).isEqualTo(new ReleaseResult(TestOrders.ORDER_ID, ReleaseResult.Action.NOTHING_TO_RELEASE, null));
        assertThat(inventory.holdsReservation(TestOrders.ORDER_ID)).isFalse();
    }

    @Test
    void release_ofAnUnknownOrder_isANoOpSuccess() {
        var result = inventory.release("ord_zzzzzzzzzzzzzzzzzzzzzzzzzz");

        assertThat(result.action()).isEqualTo(ReleaseResult.Action.NOTHING_TO_RELEASE);
    }
}
