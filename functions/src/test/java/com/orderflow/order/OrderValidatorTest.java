package com.orderflow.order;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static com.orderflow.order.TestOrders.line;
import static com.orderflow.order.TestOrders.order;
import static org.assertj.core.api.Assertions.assertThat;

class OrderValidatorTest {

    private final OrderValidator validator = new OrderValidator(ProductCatalog.standard());

    @Test
    void catalogOrder_withExactTotal_isValid() {
        var result = validator.validate(TestOrders.valid());

        assertThat(result.valid()).isTrue();
        assertThat(result.reasons()).isEmpty();
        assertThat(result.reason()).isNull();
    }

    @Test
    void totalWithTrailingZeros_isTheSameAmount() {
        var result = validator.validate(order("tok_visa", "45.0", line("SKU-LAMP-003", 1, "45")));

        assertThat(result.valid()).isTrue();
    }

    @Test
    void unknownSku_isRejectedWithItsName() {
        var result = validator.validate(order("tok_visa", "10.00", line("SKU-NOPE-999", 1, "10.00")));

        assertThat(result.valid()).isFalse();
        assertThat(result.reasons()).containsExactly("items[0].sku SKU-NOPE-999 is not in the catalog");
        assertThat(result.reason()).startsWith("Order.Invalid: ").contains("SKU-NOPE-999");
    }

    @Test
    void totalThatDoesNotAddUp_isRejected() {
        var result = validator.validate(order("tok_visa", "92.47",
                line("SKU-BOOK-001", 2, "39.99"), line("SKU-MUG-002", 1, "12.50")));

        assertThat(result.reasons()).containsExactly("total 92.47 does not equal the sum of the lines 92.48");
    }

    @Test
    void unitPriceDifferentFromCatalog_isRejected() {
        var result = validator.validate(order("tok_visa", "1.00", line("SKU-BOOK-001", 1, "1.00")));

        assertThat(result.reasons()).containsExactly(
                "items[0].unitPrice 1.00 does not match the catalog price 39.99 USD");
    }

    @Test
    void quantityOutsideOneToThousand_isRejected() {
        var zero = validator.validate(order("tok_visa", "0.00", line("SKU-PEN-004", 0, "24.95")));
        var tooMany = validator.validate(order("tok_visa", "24974.95", line("SKU-PEN-004", 1001, "24.95")));
        var max = validator.validate(order("tok_visa", "24950.00", line("SKU-PEN-004", 1000, "24.95")));

        assertThat(zero.reasons()).contains("items[0].quantity must be between 1 and 1000 (was 0)");
        assertThat(tooMany.reasons()).containsExactly("items[0].quantity must be between 1 and 1000 (was 1001)");
        assertThat(max.valid()).isTrue();
    }

    @Test
    void noItems_isRejected() {
        var result = validator.validate(order("tok_visa", "0.00"));

        assertThat(result.reasons()).containsExactly("items must contain at least one line");
    }

    @Test
    void missingCurrency_isRejected_andNoTotalIsComputed() {
        var o = TestOrders.valid();
        var noCurrency = new Order(o.orderId(), o.customer(), null, o.items(), o.payment(), o.total());

        var result = validator.validate(noCurrency);

        assertThat(result.reasons()).hasSize(1);
        assertThat(result.reasons().getFirst()).startsWith("currency is missing or not supported");
    }

    @Test
    void amountWithMoreDecimalsThanTheCurrency_isRejectedNotRounded() {
        var result = validator.validate(order("tok_visa", "39.990", line("SKU-BOOK-001", 1, "39.991")));

        assertThat(result.reasons()).containsExactly("items[0].unitPrice 39.991 is not a valid USD amount");
    }

    @Test
    void yenOrder_usesYenCatalogPricesWithoutDecimals() {
        var yen = new Order(TestOrders.ORDER_ID, TestOrders.CUSTOMER, CurrencyCode.JPY,
                List.of(line("SKU-MUG-002", 2, "1800")), new PaymentInstrument("tok_visa"), new BigDecimal("3600"));
        var yenWithCents = new Order(TestOrders.ORDER_ID, TestOrders.CUSTOMER, CurrencyCode.JPY,
                List.of(line("SKU-MUG-002", 2, "1800.50")), new PaymentInstrument("tok_visa"), new BigDecimal("3601"));

        assertThat(validator.validate(yen).valid()).isTrue();
        assertThat(validator.validate(yenWithCents).reasons()).contains("items[0].unitPrice 1800.50 is not a valid JPY amount");
    }

    @Test
    void duplicateSku_isRejected() {
        var result = validator.validate(order("tok_visa", "79.98",
                line("SKU-BOOK-001", 1, "39.99"), line("SKU-BOOK-001", 1, "39.99")));

        assertThat(result.reasons()).containsExactly("items[1].sku SKU-BOOK-001 appears more than once");
    }

    @Test
    void missingCustomerFieldsAndToken_areEachReported() {
        var o = TestOrders.valid();
        var bare = new Order(o.orderId(), new Customer(null, " ", "not-an-email"), o.currency(), o.items(),
                new PaymentInstrument(""), o.total());

        var result = validator.validate(bare);

        assertThat(result.reasons()).containsExactlyInAnyOrder(
                "customer.id is required", "customer.name is required",
                "customer.email must be an email address", "payment.token is required");
    }

    @Test
    void nullLinePartsAndTotal_areReasonsNotExceptions() {
        var o = new Order(TestOrders.ORDER_ID, null, CurrencyCode.USD, List.of(new LineItem(null, 1, null)), null, null);

        var result = validator.validate(o);

        assertThat(result.valid()).isFalse();
        assertThat(result.reasons()).containsExactly("customer is required", "payment.token is required",
                "items[0].sku is required", "items[0].unitPrice is required", "total is required");
    }

    @Test
    void everyMistake_isReportedAtOnce() {
        var result = validator.validate(order("tok_visa", "70.00",
                line("SKU-BOOK-001", 2, "39.99"), line("SKU-UNKNOWN-999", 1, "10.00")));

        assertThat(result.reasons()).containsExactly(
                "items[1].sku SKU-UNKNOWN-999 is not in the catalog",
                "total 70.00 does not equal the sum of the lines 89.98");
    }
}
