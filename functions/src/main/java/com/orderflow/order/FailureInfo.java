package com.orderflow.order;

/** A technical failure caught by the workflow, as Step Functions names it ({@code Error}, {@code Cause}). */
public record FailureInfo(String error, String cause) {
}
