package com.orderflow.api;

import com.orderflow.api.http.ApiRequest;
import com.orderflow.api.http.ApiResponse;
import com.orderflow.api.http.FieldError;
import com.orderflow.api.http.Problem;
import com.orderflow.api.ids.IdempotencyKey;
import com.orderflow.order.OrderId;
import com.orderflow.api.orders.InFlightOrders;
import com.orderflow.api.orders.InFlightOrders.InFlight;
import com.orderflow.api.orders.Links;
import com.orderflow.api.orders.OrderStore;
import com.orderflow.api.orders.OrderSubmission;
import com.orderflow.api.orders.OrderViews.Accepted;
import com.orderflow.api.orders.OrderViews.History;
import com.orderflow.api.orders.OrderViews.HistoryEntry;
import com.orderflow.api.orders.OrderViews.OrderLinks;
import com.orderflow.api.orders.OrderViews.OrderPage;
import com.orderflow.api.orders.OrderViews.OrderSummary;
import com.orderflow.api.orders.OrderViews.OrderView;
import com.orderflow.api.orders.OrderViews.PageLinks;
import com.orderflow.api.orders.StateMachineArn;
import com.orderflow.api.routing.Route;
import com.orderflow.api.routing.RouteMatch;
import com.orderflow.api.routing.Router;
import com.orderflow.api.validation.JsonBody;
import com.orderflow.api.validation.ListOrdersQuery;
import com.orderflow.api.validation.OrderRequestValidator;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The orders API over plain requests and responses: routes a request and runs its operation. Client mistakes
 * surface as {@link com.orderflow.api.http.ProblemException}s; anything else that escapes is a fault.
 */
public final class OrdersApi {

    private final Router router = new Router();
    private final OrderRequestValidator validator = new OrderRequestValidator();
    private final ApiConfig config;
    private final OrderSubmission submission;
    private final OrderStore store;
    private final InFlightOrders inFlight;
    private final StateMachineArn stateMachine;

    public OrdersApi(ApiConfig config, OrderSubmission submission, OrderStore store, InFlightOrders inFlight) {
        this.config = config;
        this.stateMachine = StateMachineArn.parse(config.stateMachineArn());
        this.submission = submission;
        this.store = store;
        this.inFlight = inFlight;
    }

    /** The route a request resolves to, for logs; never fails. */
    public RouteMatch route(ApiRequest request) {
        return router.match(request);
    }

    /** The response to {@code request}; a client mistake is thrown as a {@link com.orderflow.api.http.ProblemException}. */
    public ApiResponse handle(ApiRequest request, RouteMatch match) {
        var links = new Links(request.basePath(), stateMachine.region(), config.executionViewBaseUrl());
        return switch (match) {
            case RouteMatch.NotFound _ -> throw Problem.of(404,
                    "No such resource. This API serves /orders, /orders/{orderId} and /orders/{orderId}/history.").toException();
            case RouteMatch.MethodNotAllowed notAllowed -> throw Problem.of(405,
                            "This resource accepts " + notAllowed.allowHeader() + ".")
                    .withHeader("Allow", notAllowed.allowHeader()).toException();
            case RouteMatch.Found(Route route) -> switch (route) {
                case Route.CreateOrder _ -> createOrder(request, links);
                case Route.ListOrders _ -> listOrders(request, links);
                case Route.GetOrder(String orderId) -> getOrder(checkedId(orderId), links);
                case Route.GetOrderHistory(String orderId) -> getHistory(checkedId(orderId), links);
            };
        };
    }

    private ApiResponse createOrder(ApiRequest request, Links links) {
        IdempotencyKey key = null;
        if (request.repeated(IdempotencyKey.HEADER)) {
            // which of two keys the client meant cannot be known; taking either could merge or split orders
            throw Problem.invalid("The Idempotency-Key header was sent more than once.",
                    List.of(FieldError.header(IdempotencyKey.HEADER, "must be sent once, with one key"))).toException();
        }
        var keyHeader = request.header(IdempotencyKey.HEADER);
        if (keyHeader != null) {
            key = IdempotencyKey.parseOrNull(keyHeader);
            if (key == null) {
                throw Problem.invalid("The Idempotency-Key header is not valid.",
                        List.of(FieldError.header(IdempotencyKey.HEADER, IdempotencyKey.RULE))).toException();
            }
        }
        var order = validator.validate(JsonBody.read(request));
        var submitted = submission.submit(order, key);
        var orderLinks = new OrderLinks(links.order(submitted.orderId()), links.history(submitted.orderId()),
                links.execution(submitted.executionArn()));
        var headers = new LinkedHashMap<String, String>();
        headers.put("Location", orderLinks.self());
        var status = OrderStatus.RECEIVED;
        if (submitted.replayed()) {
            // the rule for every replay: the first answer, with the order's status now (as GET /orders/{id} says)
            headers.put(IdempotencyKey.REPLAYED_HEADER, "true");
            status = currentView(submitted.orderId(), orderLinks).map(OrderView::status).orElse(OrderStatus.RECEIVED);
        }
        var body = new Accepted(submitted.orderId(), status, submitted.executionArn(), orderLinks);
        return ApiResponse.json(202, body, headers);
    }

    private ApiResponse listOrders(ApiRequest request, Links links) {
        var query = ListOrdersQuery.parse(request.query());
        var filter = query.filter();
        var listing = filter.filters() ? store.list(filter, query.limit(), query.after())
                : store.list(query.limit(), query.after());
        var nextToken = listing.next() == null ? null : listing.next().encode();
        var orders = listing.records().stream().map(OrderSummary::of).toList();
        var page = new OrderPage(orders, nextToken, new PageLinks(
                links.ordersPage(query.limit(), filter, request.query().get("nextToken")),
                nextToken == null ? null : links.ordersPage(query.limit(), filter, nextToken)));
        return ApiResponse.json(200, page);
    }

    private ApiResponse getOrder(String orderId, Links links) {
        return currentView(orderId, orderLinks(orderId, links)).map(view -> ApiResponse.json(200, view))
                .orElseThrow(() -> notFound(orderId));
    }

    /**
     * A final stored status is the order's (the workflow stores it before its run ends). A stored RECEIVED is
     * checked against the execution: once the run has closed, the answer is the status the run reached, with the
     * stored record's status beside it, so that an order whose run ended is never reported RECEIVED.
     */
    private Optional<OrderView> currentView(String orderId, OrderLinks orderLinks) {
        var stored = store.current(orderId);
        if (stored.isPresent() && stored.get().status().isFinal()) {
            return Optional.of(OrderView.of(stored.get(), null, orderLinks));
        }
        var run = inFlight.find(orderId);
        if (stored.isEmpty()) {
            return run.map(found -> OrderView.of(found.record(), found.executionStatus(), orderLinks));
        }
        if (run.isEmpty() || run.get().open()) {
            return Optional.of(OrderView.of(stored.get(), run.map(InFlight::executionStatus).orElse(null), orderLinks));
        }
        // the run has closed: its final write may have landed since the first read
        var latest = store.current(orderId).orElse(stored.get());
        var closed = run.get();
        if (latest.status().isFinal()) {
            return Optional.of(OrderView.of(latest, closed.executionStatus(), orderLinks));
        }
        var implied = closed.record();
        var record = new OrderRecord(orderId, implied.status(), implied.reason(),
                latest.order() != null ? latest.order() : implied.order(), implied.inventory(), implied.payment(),
                implied.failure(), latest.executionArn() != null ? latest.executionArn() : implied.executionArn(),
                implied.updatedAt(), latest.createdAt());
        return Optional.of(OrderView.of(record, latest.status(), closed.executionStatus(), orderLinks));
    }

    private ApiResponse getHistory(String orderId, Links links) {
        var orderLinks = orderLinks(orderId, links);
        var versions = store.versions(orderId);
        if (versions.isEmpty() && inFlight.find(orderId).isEmpty()) {
            throw notFound(orderId);
        }
        var entries = versions.stream().map(v -> new HistoryEntry(v.versionId(), v.record().status(),
                v.record().updatedAt(), v.storedAt(), v.latest(), OrderView.of(v.record(), null, null))).toList();
        return ApiResponse.json(200, new History(orderId, entries, orderLinks));
    }

    private OrderLinks orderLinks(String orderId, Links links) {
        var executionArn = stateMachine.executionArn(orderId);
        return new OrderLinks(links.order(orderId), links.history(orderId), links.execution(executionArn));
    }

    /**
     * The id from the path when it has the order-id shape. A malformed id names no order, so it is a 404 like any
     * unknown id; checking it here keeps arbitrary path text out of S3 keys and execution names.
     */
    private static String checkedId(String candidate) {
        if (!OrderId.isValid(candidate)) {
            throw Problem.of(404, "No order has this id; order ids look like ord_ followed by 26 lowercase letters and digits.")
                    .toException();
        }
        return candidate;
    }

    private static RuntimeException notFound(String orderId) {
        return Problem.of(404, "No order " + orderId + " exists.").toException();
    }

}
