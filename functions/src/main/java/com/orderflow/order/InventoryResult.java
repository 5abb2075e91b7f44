package com.orderflow.order;

import java.util.List;

/**
 * What ReserveInventory returns: RESERVED with a reservation id, or OUT_OF_STOCK naming the SKUs short.
 * A business outcome, never an exception.
 */
public record InventoryResult(String orderId, Status status, String reservationId, List<String> unavailableSkus) {

    public enum Status { RESERVED, OUT_OF_STOCK }

    public InventoryResult {
        unavailableSkus = unavailableSkus == null ? List.of() : List.copyOf(unavailableSkus);
    }

    public boolean reserved() {
        return status == Status.RESERVED;
    }
}
