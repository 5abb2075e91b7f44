package com.orderflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.OrderIndex;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.TestOrders;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.persist.PersistOrderHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /orders} with {@code status}, {@code createdAfter} and {@code createdBefore}: the workflow's own
 * PersistOrder writes the records and their index entries into the local S3, and the API handler lists them.
 */
class OrderFiltersTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    private static ApiTestStack stack;

    private String bucket;
    private ApiHandler handler;
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private PersistOrderHandler persist;

    @BeforeAll
    static void start() {
        stack = ApiTestStack.shared();
    }

    @BeforeEach
    void freshBucket() {
        bucket = stack.newBucket();
        handler = stack.handler(bucket);
        persist = new PersistOrderHandler(stack.s3.client(), bucket, new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        });
    }

    /** An order created at T0 + {@code minute} minutes and taken to {@code status}; its id sorts by {@code name}. */
    private String order(String name, int minute, OrderStatus status) {
        var order = TestOrders.order(TestOrders.id(name), "tok_visa", "10.00", TestOrders.line("SKU-BOOK-001", 1, "10.00"));
        now.set(T0.plusSeconds(60L * minute));
        store(order, OrderOutcome.received());
        now.set(T0.plusSeconds(60L * minute + 5));
        switch (status) {
            case RECEIVED -> { }
            case COMPLETED -> store(order, OrderOutcome.merge(reserved(order), authorized(order)));
            case REJECTED -> store(order, OrderOutcome.merge(reserved(order), declined(order)));
            case FAILED -> store(order, OrderOutcome.failed(new FailureInfo("States.Timeout", null)));
        }
        return order.orderId();
    }

    private void store(Order order, OrderOutcome outcome) {
        persist.handleRequest(new PersistOrderInput(order, outcome, null), null);
    }

    private static List<String> ids(ApiTestStack.Reply reply) {
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        var ids = new ArrayList<String>();
        reply.json().path("orders").forEach(o -> ids.add(o.path("orderId").asText()));
        return ids;
    }

    private JsonNode page(String query) {
        var reply = call(handler, get("/orders?" + query));
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void status_listsOnlyOrdersStoredWithThatStatus_newestCreatedFirst() {
        var completedEarly = order("aa", 1, OrderStatus.COMPLETED);
        order("bb", 2, OrderStatus.REJECTED);
        var completedLate = order("cc", 3, OrderStatus.COMPLETED);
        order("dd", 4, OrderStatus.FAILED);
        var inFlight = order("ee", 5, OrderStatus.RECEIVED);

        assertThat(ids(call(handler, get("/orders?status=COMPLETED")))).containsExactly(completedLate, completedEarly);
        assertThat(ids(call(handler, get("/orders?status=RECEIVED")))).containsExactly(inFlight);
        var summary = page("status=COMPLETED").path("orders").get(0);
        assertThat(summary.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(summary.path("createdAt").asText()).isEqualTo(T0.plusSeconds(180).toString());
        assertThat(summary.path("updatedAt").asText()).isEqualTo(T0.plusSeconds(185).toString());
    }

    @Test
    void severalStatuses_mergeIntoOneListing_newestFirst() {
        var rejected = order("aa", 1, OrderStatus.REJECTED);
        order("bb", 2, OrderStatus.COMPLETED);
        var failed = order("cc", 3, OrderStatus.FAILED);

        assertThat(ids(call(handler, get("/orders?status=REJECTED,FAILED")))).containsExactly(failed, rejected);
    }

    @Test
    void timeRange_isHalfOpen_createdAfterInclusive_createdBeforeExclusive() {
        order("aa", 1, OrderStatus.COMPLETED);
        var atStart = order("bb", 2, OrderStatus.REJECTED);
        var inside = order("cc", 3, OrderStatus.COMPLETED);
        order("dd", 4, OrderStatus.COMPLETED);

        var window = "createdAfter=" + T0.plusSeconds(120) + "&createdBefore=" + T0.plusSeconds(240);
        assertThat(ids(call(handler, get("/orders?" + window)))).containsExactly(inside, atStart);
        assertThat(ids(call(handler, get("/orders?status=COMPLETED&" + window)))).containsExactly(inside);
        // an offset is the same instant: 10:02+01:00 is 09:02Z
        assertThat(ids(call(handler, get("/orders?createdAfter=2026-12-07T10:02:00%2B01:00&createdBefore=2026-12-07T09:03:00Z"))))
                .containsExactly(atStart);
    }

    @Test
    void filteredPages_walkEveryMatchingOrderOnce_withTheFilterInTheLinks() {
        var expected = new ArrayList<String>();
        for (int i = 0; i < 7; i++) {
            expected.addFirst(order("o" + i, i, OrderStatus.COMPLETED));
            order("r" + i, i, OrderStatus.REJECTED);
        }

        var seen = new ArrayList<String>();
        var query = "status=COMPLETED&limit=3";
        JsonNode page;
        int pages = 0;
        do {
            page = page(query);
            page.path("orders").forEach(o -> seen.add(o.path("orderId").asText()));
            pages++;
            if (page.hasNonNull("nextToken")) {
                assertThat(page.at("/links/next").asText()).contains("status=COMPLETED").contains("limit=3");
                query = "status=COMPLETED&limit=3&nextToken=" + page.path("nextToken").asText();
            }
        } while (page.hasNonNull("nextToken") && pages < 10);

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void anOrderMovesBetweenStatuses_itsOldEntryIsDeleted() {
        var orderId = order("aa", 1, OrderStatus.COMPLETED);

        assertThat(ids(call(handler, get("/orders?status=RECEIVED")))).isEmpty();
        assertThat(ids(call(handler, get("/orders?status=COMPLETED")))).containsExactly(orderId);
        var live = stack.s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(OrderIndex.PREFIX)).contents();
        assertThat(live).extracting(o -> o.key()).containsExactly(OrderIndex.key(OrderStatus.COMPLETED, T0.plusSeconds(60), orderId));
    }

    @Test
    void aRepeatedFinalPersist_afterACrashBeforeTheDelete_removesTheOldEntry() {
        var order = TestOrders.order(TestOrders.id("aa"), "tok_visa", "10.00", TestOrders.line("SKU-BOOK-001", 1, "10.00"));
        store(order, OrderOutcome.received());
        store(order, OrderOutcome.merge(reserved(order), authorized(order)));
        // the state a crash between the record's write and the old entry's delete leaves
        stack.s3.client().putObject(b -> b.bucket(bucket).key(OrderIndex.key(OrderStatus.RECEIVED, T0, order.orderId())),
                RequestBody.empty());

        store(order, OrderOutcome.merge(reserved(order), authorized(order)));

        assertThat(stack.s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(OrderIndex.prefix(OrderStatus.RECEIVED)))
                .contents()).isEmpty();
    }

    @Test
    void anEntryWhoseRecordSaysOtherwise_isLeftOut() {
        var orderId = order("aa", 1, OrderStatus.COMPLETED);
        // the moment between PersistOrder's writes: the new entry is there, the record not yet
        stack.s3.client().putObject(b -> b.bucket(bucket).key(OrderIndex.key(OrderStatus.FAILED, T0.plusSeconds(60), orderId)),
                RequestBody.empty());

        assertThat(ids(call(handler, get("/orders?status=FAILED")))).isEmpty();
        assertThat(ids(call(handler, get("/orders?status=COMPLETED,FAILED")))).containsExactly(orderId);
    }

    @Test
    void unknownParameters_andBadValues_areEachNamedIn400() {
        var reply = call(handler, get("/orders?stauts=COMPLETED&status=DONE&createdAfter=yesterday&createdBefore=2026-12-07&limit=0"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.errorPointers()).containsExactlyInAnyOrder("?stauts", "?status", "?createdAfter", "?createdBefore", "?limit");
        assertThat(reply.json().path("errors").get(0).path("detail").asText()).contains("limit, nextToken, status, createdAfter, createdBefore");
    }

    @Test
    void anEmptyOrBackwardsRange_andAMisplacedToken_are400() {
        var at = T0.toString();
        assertThat(call(handler, get("/orders?createdAfter=" + at + "&createdBefore=" + at)).errorPointers())
                .containsExactly("?createdBefore");
        assertThat(call(handler, get("/orders?status=")).errorPointers()).containsExactly("?status");
        assertThat(call(handler, get("/orders?status=completed")).errorPointers()).containsExactly("?status");

        for (int i = 0; i < 3; i++) {
            order("o" + i, i, OrderStatus.COMPLETED);
        }
        var unfilteredToken = page("limit=1").path("nextToken").asText();
        var filteredToken = page("limit=1&status=COMPLETED").path("nextToken").asText();
        assertThat(call(handler, get("/orders?status=COMPLETED&nextToken=" + unfilteredToken)).errorPointers())
                .containsExactly("?nextToken");
        assertThat(call(handler, get("/orders?nextToken=" + filteredToken)).errorPointers()).containsExactly("?nextToken");
    }

    private static InventoryResult reserved(Order order) {
        return new InventoryResult(order.orderId(), InventoryResult.Status.RESERVED, "res_1", List.of());
    }

    private static PaymentResult authorized(Order order) {
        return new PaymentResult(order.orderId(), PaymentResult.Status.AUTHORIZED, "auth_1", null);
    }

    private static PaymentResult declined(Order order) {
        return new PaymentResult(order.orderId(), PaymentResult.Status.DECLINED, null, "card declined (tok_chargeDeclined)");
    }
}
