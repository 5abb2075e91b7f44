package com.orderflow.order;

/** Which undo step the workflow must run after MergeResults, when only one side of the order succeeded. */
public enum Compensation {
    /** Nothing was left half done. */
    NONE,
    /** Stock was reserved but payment was declined: give the stock back. */
    RELEASE_INVENTORY,
    /** Payment was authorized but stock was short: void the authorization. */
    VOID_PAYMENT
}
