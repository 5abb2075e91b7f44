package com.orderflow.api.validation;

import com.orderflow.api.http.FieldError;
import com.orderflow.api.http.ProblemException;
import com.orderflow.json.Json;
import com.orderflow.order.CurrencyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OrderRequestValidatorTest {

    private final OrderRequestValidator validator = new OrderRequestValidator();

    private OrderRequest valid(String json) throws IOException {
        return validator.validate(Json.mapper().readTree(json));
    }

    private ProblemException invalid(String json) {
        return catchThrowableOfType(ProblemException.class, () -> valid(json));
    }

    private static final String BASE = """
            {"customer":{"id":"c-1","name":"Ada","email":"ada@example.com"},"currency":"%s",
             "items":[{"sku":"SKU-1","quantity":%s,"unitPrice":%s}],"payment":{"token":"tok_visa"}%s}
            """;

    private static String order(String currency, String quantity, String price, String extra) {
        return BASE.formatted(currency, quantity, price, extra);
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-completed.json", "order-invalid.json", "order-out-of-stock.json",
            "order-payment-declined.json", "order-payment-flaky.json", "order-payment-gateway-error.json"})
    void everyTestPayload_passesTheApi_soTheWorkflowDecidesItsOutcome(String payload) throws IOException {
        var body = Files.readString(Path.of("..", "test-payloads", payload));

        assertThat(valid(body).requestHash()).matches("^[0-9a-f]{64}$");
    }

    @Test
    void amounts_areNormalizedToTheCurrencysScale() throws IOException {
        var request = valid(order("USD", "1", "12.5", ""));

        assertThat(request.items().getFirst().unitPrice()).hasToString("12.50");
        assertThat(request.toOrder("ord_x").total()).hasToString("12.50");
    }

    @Test
    void sameOrderSpelledDifferently_hasTheSameHash() throws IOException {
        var a = valid(order("USD", "2", "12.5", ""));
        var b = valid("""
                {"payment":{"token":"tok_visa"},"items":[{"unitPrice":"12.50","sku":"SKU-1","quantity":2}],
                 "currency":"USD","customer":{"email":"ada@example.com","id":"c-1","name":"Ada"}}""");
        var c = valid(order("USD", "3", "12.5", ""));

        assertThat(a.requestHash()).isEqualTo(b.requestHash()).isNotEqualTo(c.requestHash());
    }

    @Test
    void statedTotal_isPartOfTheHash_andKeptAsStated() throws IOException {
        var withTotal = valid(order("USD", "1", "12.5", ",\"total\":99"));

        assertThat(withTotal.requestHash()).isNotEqualTo(valid(order("USD", "1", "12.5", "")).requestHash());
        assertThat(withTotal.toOrder("ord_x").total()).hasToString("99.00");
    }

    @Test
    void yen_takesNoDecimals() throws IOException {
        assertThat(valid(order("JPY", "1", "1500", "")).currency()).isEqualTo(CurrencyCode.JPY);
        assertThat(invalid(order("JPY", "1", "1500.5", "")).problem().errors())
                .containsExactly(FieldError.body("/items/0/unitPrice", "must be a whole amount in JPY"));
    }

    @Test
    void unknownFields_areNamedWithEscapedPointers() {
        var problem = invalid(order("USD", "1", "1", ",\"a/b~c\":1")).problem();

        assertThat(problem.errors()).extracting(FieldError::pointer).containsExactly("/a~1b~0c");
    }

    @Test
    void errors_areCapped() {
        var items = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"\",\"quantity\":0,\"unitPrice\":-1}");
        }
        var problem = invalid("{\"items\":[" + items + "]}").problem();

        assertThat(problem.errors()).hasSize(OrderRequestValidator.MAX_ERRORS);
        assertThat(problem.status()).isEqualTo(400);
    }
}
