package com.orderflow.workflow;

import com.orderflow.json.Json;
import com.orderflow.order.Compensation;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.TestOrders;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.order.payment.PaymentGatewayUnavailableException;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.workflow.inventory.ReserveInventoryHandler;
import com.orderflow.workflow.merge.MergeResultsHandler;
import com.orderflow.workflow.payment.AuthorizePaymentHandler;
import com.orderflow.workflow.validate.ValidateOrderHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each body in test-payloads/ leads to the outcome the README promises, when its steps run in the order
 * and with the retries the state machine gives them (the engine's own tests run the real ASL file).
 */
class TestPayloadsTest {

    static final Path PAYLOADS = Path.of("..", "test-payloads");
    /** The AuthorizePayment retry on the transient gateway error allows this many retries. */
    static final int TRANSIENT_RETRIES = 3;

    @ParameterizedTest
    @CsvSource({
            "order-completed.json,             COMPLETED, NONE",
            "order-out-of-stock.json,          REJECTED,  VOID_PAYMENT",
            "order-payment-declined.json,      REJECTED,  RELEASE_INVENTORY",
            "order-payment-flaky.json,         COMPLETED, NONE",
            "order-invalid.json,               REJECTED,  NONE",
            "order-payment-gateway-error.json, FAILED,    NONE"})
    void payload_reachesItsDocumentedStatus(String file, OrderStatus status, Compensation compensation) throws IOException {
        var body = Json.mapper().readValue(Files.readString(PAYLOADS.resolve(file)), Order.class);
        assertThat(body.orderId()).as("the API assigns the id").isNull();
        var order = new Order(TestOrders.id("payload"), body.customer(), body.currency(), body.items(), body.payment(), body.total());

        var outcome = runSteps(order);

        assertThat(outcome.status()).isEqualTo(status);
        assertThat(outcome.compensation()).isEqualTo(compensation);
    }

    private static OrderOutcome runSteps(Order order) {
        var validation = new ValidateOrderHandler().handleRequest(new OrderInput(order), null);
        if (!validation.valid()) {
            return new OrderOutcome(OrderStatus.REJECTED, validation.reason(), Compensation.NONE, null, null, null);
        }
        var inventory = new ReserveInventoryHandler(SimulatedInventory.standard()).handleRequest(new OrderInput(order), null);
        var authorize = new AuthorizePaymentHandler(SimulatedPaymentGateway.standard());
        for (int attempt = 0; ; attempt++) {
            try {
                var payment = authorize.handleRequest(new AuthorizePaymentInput(order, attempt), null);
                return new MergeResultsHandler().handleRequest(new MergeResultsInput(order, inventory, payment), null);
            } catch (PaymentGatewayUnavailableException e) {
                if (attempt == TRANSIENT_RETRIES) {
                    return OrderOutcome.failed(new FailureInfo(e.getClass().getName(), e.getMessage()));
                }
            } catch (RuntimeException e) {
                return OrderOutcome.failed(new FailureInfo(e.getClass().getName(), e.getMessage()));
            }
        }
    }
}
