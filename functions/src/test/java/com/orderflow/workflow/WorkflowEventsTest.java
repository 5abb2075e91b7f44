package com.orderflow.workflow;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.order.Compensation;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.ValidationResult;
import com.orderflow.order.inventory.ReleaseResult;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.order.payment.VoidResult;
import com.orderflow.workflow.inventory.ReleaseInventoryHandler;
import com.orderflow.workflow.inventory.ReserveInventoryHandler;
import com.orderflow.workflow.merge.MergeResultsHandler;
import com.orderflow.workflow.payment.AuthorizePaymentHandler;
import com.orderflow.workflow.payment.VoidPaymentHandler;
import com.orderflow.workflow.validate.ValidateOrderHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample events in events/workflow are exactly what the handlers accept, and the handlers work on them. */
class WorkflowEventsTest {

    static final Path EVENTS = Path.of("..", "events", "workflow");

    /** Event file → the handler (by function name) that consumes it. */
    static final Map<String, String> HANDLER_BY_EVENT = Map.of(
            "validate-order.json", "ValidateOrderFunctionArn",
            "reserve-inventory.json", "ReserveInventoryFunctionArn",
            "authorize-payment.json", "AuthorizePaymentFunctionArn",
            "merge-results.json", "MergeResultsFunctionArn",
            "persist-order.json", "PersistOrderFunctionArn",
            "release-inventory.json", "ReleaseInventoryFunctionArn",
            "void-payment.json", "VoidPaymentFunctionArn");

    private static <T> T read(String file, Class<T> type) throws IOException {
        return Json.mapper().readValue(Files.readString(EVENTS.resolve(file)), type);
    }

    @Test
    void everyEventFile_isKnown_andEveryHandlerHasOne() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Stream.concat(HANDLER_BY_EVENT.keySet().stream(),
                            Stream.of("execution-input.json")).toList());
        }
        assertThat(HANDLER_BY_EVENT.values()).containsExactlyInAnyOrderElementsOf(OrderWorkflowDefinitionTest.FUNCTIONS.keySet());
    }

    @Test
    void everyEvent_deserializesIntoItsHandlersInputType_withNoFieldLeftOver() throws IOException {
        for (var e : HANDLER_BY_EVENT.entrySet()) {
            var handler = OrderWorkflowDefinitionTest.FUNCTIONS.get(e.getValue());
            assertThat(RequestHandler.class.isAssignableFrom(handler)).as(handler.getName()).isTrue();
            var type = OrderWorkflowDefinitionTest.inputTypeOf(handler);
            var json = Files.readString(EVENTS.resolve(e.getKey()));

            Object input = Json.mapper().readValue(json, type);
            JsonNode mappedBack = Json.mapper().valueToTree(input);

            // mapping back must give the same tree: no field in the event was ignored as unknown
            assertThat(input).as(e.getKey()).isInstanceOf(type);
            assertThat(mappedBack).as(e.getKey()).isEqualTo(Json.mapper().readTree(json));
        }
    }

    @Test
    void executionInput_carriesAnOrderThatPassesValidation() throws IOException {
        var tree = Json.mapper().readTree(Files.readString(EVENTS.resolve("execution-input.json")));
        var order = Json.mapper().treeToValue(tree.get("order"), Order.class);

        assertThat(tree.get("requestHash").asText()).matches("[0-9a-f]{64}");
        assertThat(new ValidateOrderHandler().handleRequest(new OrderInput(order), null)).isEqualTo(ValidationResult.ok());
    }

    @Test
    void eventsDriveTheHandlersToTheHappyPath() throws IOException {
        var inventory = SimulatedInventory.standard();
        var gateway = SimulatedPaymentGateway.standard();

        var validation = new ValidateOrderHandler().handleRequest(read("validate-order.json", OrderInput.class), null);
        var reserved = new ReserveInventoryHandler(inventory).handleRequest(read("reserve-inventory.json", OrderInput.class), null);
        var authorized = new AuthorizePaymentHandler(gateway).handleRequest(read("authorize-payment.json", AuthorizePaymentInput.class), null);
        var outcome = new MergeResultsHandler().handleRequest(read("merge-results.json", MergeResultsInput.class), null);
        var released = new ReleaseInventoryHandler(inventory).handleRequest(read("release-inventory.json", CompensationInput.class), null);
        var voided = new VoidPaymentHandler(gateway).handleRequest(read("void-payment.json", CompensationInput.class), null);
        var persist = read("persist-order.json", PersistOrderInput.class);

        assertThat(validation.valid()).isTrue();
        assertThat(reserved.status()).isEqualTo(InventoryResult.Status.RESERVED);
        assertThat(authorized.status()).isEqualTo(PaymentResult.Status.AUTHORIZED);
        // the merge and persist samples hold what the reserve and authorize samples produce
        assertThat(outcome).isEqualTo(new OrderOutcome(OrderStatus.COMPLETED, null, Compensation.NONE, reserved, authorized, null));
        assertThat(persist.outcome()).isEqualTo(outcome);
        assertThat(released.action()).isEqualTo(ReleaseResult.Action.RELEASED);
        assertThat(voided.action()).isEqualTo(VoidResult.Action.VOIDED);
        assertThat(persist.executionArn()).endsWith(":" + persist.order().orderId());
    }
}
