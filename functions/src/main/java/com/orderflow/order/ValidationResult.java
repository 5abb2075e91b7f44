package com.orderflow.order;

import java.util.List;

/**
 * What ValidateOrder returns: valid, or the business reasons the order is refused.
 * {@code reason} is the reasons joined into one line, ready to store on a REJECTED record.
 */
public record ValidationResult(boolean valid, List<String> reasons, String reason) {

    public ValidationResult {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public static ValidationResult ok() {
        return new ValidationResult(true, List.of(), null);
    }

    public static ValidationResult rejected(List<String> reasons) {
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one reason");
        }
        return new ValidationResult(false, reasons, "Order.Invalid: " + String.join("; ", reasons));
    }
}
