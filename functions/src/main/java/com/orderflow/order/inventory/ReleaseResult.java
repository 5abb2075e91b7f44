package com.orderflow.order.inventory;

/** What ReleaseInventory did: released a reservation, or found nothing to release (a no-op success). */
public record ReleaseResult(String orderId, Action action, String reservationId) {

    public enum Action { RELEASED, NOTHING_TO_RELEASE }
}
