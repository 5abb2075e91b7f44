package com.orderflow.workflow.inventory;

import com.orderflow.order.InventoryResult;
import com.orderflow.order.LineItem;
import com.orderflow.order.Order;
import com.orderflow.order.TestOrders;
import com.orderflow.order.inventory.ReleaseResult;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.workflow.CompensationInput;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static com.orderflow.order.TestOrders.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryHandlersTest {

    private final SimulatedInventory inventory = SimulatedInventory.standard();
    private final ReserveInventoryHandler reserve = new ReserveInventoryHandler(inventory);
    private final ReleaseInventoryHandler release = new ReleaseInventoryHandler(inventory);

    @Test
    void reserve_inStockOrder_isReserved() {
        var result = reserve.handleRequest(new OrderInput(TestOrders.valid()), null);

        assertThat(result.status()).isEqualTo(InventoryResult.Status.RESERVED);
        assertThat(result.orderId()).isEqualTo(TestOrders.ORDER_ID);
    }

    @Test
    void reserve_outOfStockOrder_isAResult_notAnError() {
        var result = reserve.handleRequest(new OrderInput(TestOrders.order("tok_visa", "250.00",
                line("SKU-RARE-404", 1, "250.00"))), null);

        assertThat(result.status()).isEqualTo(InventoryResult.Status.OUT_OF_STOCK);
        assertThat(result.unavailableSkus()).containsExactly("SKU-RARE-404");
    }

    @Test
    void release_twice_releasesThenReportsNothingToRelease() {
        reserve.handleRequest(new OrderInput(TestOrders.valid()), null);
        var input = new CompensationInput(TestOrders.ORDER_ID);

        var first = release.handleRequest(input, null);
        var second = release.handleRequest(input, null);

        assertThat(first.action()).isEqualTo(ReleaseResult.Action.RELEASED);
        assertThat(second.action()).isEqualTo(ReleaseResult.Action.NOTHING_TO_RELEASE);
        assertThat(inventory.holdsReservation(TestOrders.ORDER_ID)).isFalse();
    }

    @Test
    void release_whenNothingWasReserved_isANoOpSuccess() {
        var result = release.handleRequest(new CompensationInput(TestOrders.ORDER_ID), null);

        assertThat(result).isEqualTo(new ReleaseResult(TestOrders.ORDER_ID, ReleaseResult.Action.NOTHING_TO_RELEASE, null));
    }

    @Test
    void reserve_lineWithoutSku_isNamedInvalidStepInput() {
        var o = TestOrders.valid();
        var noSku = new Order(o.orderId(), o.customer(), o.currency(),
                List.of(new LineItem(null, 1, BigDecimal.ONE)), o.payment(), o.total());

        assertThatThrownBy(() -> reserve.handleRequest(new OrderInput(noSku), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order.items[0].sku is required");
    }

    @Test
    void release_withoutOrderId_isNamedInvalidStepInput() {
        assertThatThrownBy(() -> release.handleRequest(new CompensationInput(null), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: orderId is required");
        assertThatThrownBy(() -> release.handleRequest(null, null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: input is required");
        assertThatThrownBy(() -> release.handleRequest(new CompensationInput("ord_SHOUTING"), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessageStartingWith("Step.InvalidInput: orderId must match");
    }

    @Test
    void noArgHandlers_shareOneInventory_soReleaseSeesTheReservation() {
        var orderId = TestOrders.id("shared");
        new ReserveInventoryHandler().handleRequest(new OrderInput(TestOrders.order(orderId, "tok_visa", "39.99",
                line("SKU-BOOK-001", 1, "39.99"))), null);

        var result = new ReleaseInventoryHandler().handleRequest(new CompensationInput(orderId), null);

        assertThat(result.action()).isEqualTo(ReleaseResult.Action.RELEASED);
    }
}
