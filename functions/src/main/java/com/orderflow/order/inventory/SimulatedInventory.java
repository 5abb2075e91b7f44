package com.orderflow.order.inventory;

import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic stand-in for a warehouse system. Stock levels are fixed and a reservation does not
 * deplete them, so the same order gets the same answer on every run; reservations are remembered per
 * order id (in memory) so that reserve and release are idempotent.
 */
public final class SimulatedInventory implements InventoryService {

    private final Map<String, Integer> stock;
    private final Map<String, String> reservationsByOrderId = new ConcurrentHashMap<>();

    public SimulatedInventory(Map<String, Integer> stock) {
        this.stock = Map.copyOf(stock);
    }

    // one per JVM: in the in-process local stack Reserve and Release then see the same reservations
    private static final SimulatedInventory SHARED = standard();

    /** The JVM-wide instance the handlers' no-arg constructors use. */
    public static SimulatedInventory shared() {
        return SHARED;
    }

    /** The stock levels documented in the README. */
    public static SimulatedInventory standard() {
        return new SimulatedInventory(Map.of(
                "SKU-BOOK-001", 100,
                "SKU-MUG-002", 500,
                "SKU-LAMP-003", 25,
                "SKU-PEN-004", 1000,
                "SKU-RARE-404", 0));
    }

    /** Units on hand for a SKU; 0 for SKUs the warehouse does not know. */
    public int onHand(String sku) {
        return stock.getOrDefault(sku, 0);
    }

    @Override
    public InventoryResult reserve(Order order) {
        var orderId = order.orderId();
        var existing = reservationsByOrderId.get(orderId);
        if (existing != null) {
            return new InventoryResult(orderId, InventoryResult.Status.RESERVED, existing, null);
        }
        var unavailable = new ArrayList<String>();
        for (var item : order.items()) {
            if (item.quantity() > onHand(item.sku())) {
                unavailable.add(item.sku());
            }
        }
        if (!unavailable.isEmpty()) {
            return new InventoryResult(orderId, InventoryResult.Status.OUT_OF_STOCK, null, unavailable);
        }
        var reservationId = reservationsByOrderId.computeIfAbsent(orderId, SimulatedInventory::reservationIdFor);
        return new InventoryResult(orderId, InventoryResult.Status.RESERVED, reservationId, null);
    }

    @Override
    public ReleaseResult release(String orderId) {
        var released = reservationsByOrderId.remove(orderId);
        if (released == null) {
            return new ReleaseResult(orderId, ReleaseResult.Action.NOTHING_TO_RELEASE, null);
        }
        return new ReleaseResult(orderId, ReleaseResult.Action.RELEASED, released);
    }

    /** True while the order holds a reservation. */
    public boolean holdsReservation(String orderId) {
        return reservationsByOrderId.containsKey(orderId);
    }

    // derived from the order id so a retried or replayed reservation gets the same id
    private static String reservationIdFor(String orderId) {
        return "res_" + (orderId.startsWith("ord_") ? orderId.substring(4) : orderId);
    }
}
