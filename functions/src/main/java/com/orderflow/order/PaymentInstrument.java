package com.orderflow.order;

/** A tokenized payment method in the style of payment test tokens ({@code tok_visa}); never a card number. */
public record PaymentInstrument(String token) {
}
