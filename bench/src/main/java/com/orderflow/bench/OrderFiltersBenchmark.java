package com.orderflow.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.api.ApiConfig;
import com.orderflow.api.ApiHandler;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.aws.InvocationContext;
import com.orderflow.json.Json;
import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.s3.OrdersBucket;
import com.orderflow.order.CurrencyCode;
import com.orderflow.order.Customer;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.LineItem;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.PaymentInstrument;
import com.orderflow.order.PaymentResult;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.persist.PersistOrderHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code GET /orders} with filters over a bucket of {@code orders} orders, as the workflow leaves it: each order
 * written by the real PersistOrder (RECEIVED, then its final status for all but 1 %, which moves its index entry),
 * created 100 ms apart, 70 % COMPLETED, 20 % REJECTED, 9 % FAILED. Each query is the real API handler in process
 * against the local S3 over loopback; per query the figures are its page time and the S3 requests one page costs,
 * beside the one alternative that needs no index: reading every record to filter it.
 */
final class OrderFiltersBenchmark {

    private static final String BUCKET = "orderflow-orders-filters";
    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-bench";
    private static final Instant FIRST_CREATED = Instant.parse("2026-12-01T00:00:00Z");
    private static final long CREATED_EVERY_MILLIS = 100;
    private static final int WRITERS = 8;
    private static final int TIMED = 40;

    /** One query: its page p50 and p99 in ms, S3 requests per page, and the orders on the page. */
    record Query(String label, String query, double p50, double p99, double s3PerPage, int ordersOnPage) {
    }

    /** Every query, how long the bucket took to fill, and a full read of every record for comparison. */
    record Figures(int orders, long objects, double fillSeconds, List<Query> queries, double scanSeconds,
                   long scanRequests) {
    }

    private OrderFiltersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var figures = run(Integer.getInteger("bench.filters", 100_000));
        for (var q : figures.queries()) {
            System.out.printf("%s: p50 %.1f ms, p99 %.1f ms, %.0f S3 requests, %d orders%n", q.label(), q.p50(), q.p99(),
                    q.s3PerPage(), q.ordersOnPage());
        }
        System.out.printf("filled %,d orders (%,d object versions) in %.0f s%n", figures.orders(), figures.objects(),
                figures.fillSeconds());
        System.out.printf("reading all %,d records: %.1f s, %,d S3 requests%n", figures.orders(), figures.scanSeconds(),
                figures.scanRequests());
    }

    static Figures run(int orders) throws Exception {
        try (var server = LocalS3Server.inMemory(); var admin = server.newClient()) {
            OrdersBucket.ensure(admin, BUCKET);
            long started = System.nanoTime();
            fill(server, orders);
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            var requests = new AtomicLong();
            try (var s3 = countingClient(server.endpoint(), requests);
                 var sfn = SfnClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                         .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                         .httpClient(UrlConnectionHttpClient.create()).build()) {
                var api = new ApiHandler(new ApiConfig(BUCKET, STATE_MACHINE, null), s3, sfn,
                        new SecureRandomOrderIdGenerator(Clock.systemUTC()));
                var middle = FIRST_CREATED.plusMillis(orders / 2 * CREATED_EVERY_MILLIS);
                var window = "createdAfter=" + middle + "&createdBefore=" + middle.plusSeconds(3600);
                var queries = new ArrayList<Query>();
                queries.add(time(api, requests, "no filter (the listing of the records, as before)", "limit=20"));
                queries.add(time(api, requests, "status=FAILED (9 %)", "status=FAILED&limit=20"));
                queries.add(time(api, requests, "status=RECEIVED (1 %, behind the moved entries of the other 99 %)",
                        "status=RECEIVED&limit=20"));
                queries.add(time(api, requests, "status=REJECTED,FAILED (two listings merged)", "status=REJECTED,FAILED&limit=20"));
                queries.add(time(api, requests, "a 1-hour createdAfter/createdBefore window mid-way, every status",
                        window + "&limit=20"));
                queries.add(time(api, requests, "status=COMPLETED in that window", "status=COMPLETED&" + window + "&limit=20"));
                queries.add(time(api, requests, "status=COMPLETED, page 50 (after 49 nextTokens)",
                        "status=COMPLETED&limit=20&nextToken=" + token(api, "status=COMPLETED&limit=20", 49)));
                queries.add(time(api, requests, "the largest page", "status=COMPLETED&limit=100"));
                long scanStart = System.nanoTime();
                long before = requests.get();
                int read = readEveryRecord(s3);
                double scanSeconds = (System.nanoTime() - scanStart) / 1e9;
                if (read != orders) {
                    throw new IllegalStateException("read " + read + " records of " + orders);
                }
                return new Figures(orders, server.versionCount(), fillSeconds, queries, scanSeconds, requests.get() - before);
            }
        }
    }

    /** Writes every order through PersistOrder, {@value #WRITERS} writers at once, each with its own clock. */
    private static void fill(LocalS3Server server, int orders) throws Exception {
        var next = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(WRITERS);
        try (var s3 = server.newClient()) {
            var done = new ArrayList<Future<?>>();
            for (int w = 0; w < WRITERS; w++) {
                done.add(pool.submit(() -> {
                    var clock = new SettableClock();
                    var persist = new PersistOrderHandler(s3, BUCKET, clock);
                    for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                        var order = order(i);
                        clock.now = FIRST_CREATED.plusMillis(i * CREATED_EVERY_MILLIS);
                        persist.handleRequest(new PersistOrderInput(order, OrderOutcome.received(), null), null);
                        var outcome = outcome(i, order);
                        if (outcome != null) {
                            clock.now = clock.now.plusMillis(40);
                            persist.handleRequest(new PersistOrderInput(order, outcome, null), null);
                        }
                    }
                    return null;
                }));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** 70 % COMPLETED, 20 % REJECTED, 9 % FAILED, 1 % still RECEIVED (null). */
    private static OrderOutcome outcome(int i, Order order) {
        int bucket = i % 100;
        if (bucket == 99) {
            return null;
        }
        var reserved = new InventoryResult(order.orderId(), InventoryResult.Status.RESERVED, "res_" + i, List.of());
        if (bucket < 70) {
            return OrderOutcome.merge(reserved,
                    new PaymentResult(order.orderId(), PaymentResult.Status.AUTHORIZED, "auth_" + i, null));
        }
        if (bucket < 90) {
            return OrderOutcome.merge(reserved,
                    new PaymentResult(order.orderId(), PaymentResult.Status.DECLINED, null, "card declined (tok_chargeDeclined)"));
        }
        return OrderOutcome.failed(new FailureInfo("States.Timeout", null));
    }

    private static Order order(int i) {
        var digits = String.format(Locale.ROOT, "%026d", i);
        return new Order("ord_" + digits, new Customer("cust-" + (i % 1000), "Ada Lovelace", "ada@example.com"),
                CurrencyCode.USD, List.of(new LineItem("SKU-BOOK-001", 2, new BigDecimal("39.99"))),
                new PaymentInstrument("tok_visa"), new BigDecimal("79.98"));
    }

    /** {@value #TIMED} pages of {@code query} after 5 untimed ones. */
    private static Query time(ApiHandler api, AtomicLong requests, String label, String query) {
        for (int i = 0; i < 5; i++) {
            get(api, query);
        }
        var millis = new double[TIMED];
        long before = requests.get();
        int onPage = 0;
        for (int i = 0; i < TIMED; i++) {
            long t0 = System.nanoTime();
            onPage = get(api, query).path("orders").size();
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        return new Query(label, query, percentile(millis, 50), percentile(millis, 99),
                (requests.get() - before) / (double) TIMED, onPage);
    }

    /** The nextToken after {@code pages} pages of {@code query}. */
    private static String token(ApiHandler api, String query, int pages) {
        String token = null;
        for (int i = 0; i < pages; i++) {
            token = get(api, token == null ? query : query + "&nextToken=" + token).path("nextToken").asText();
        }
        return token;
    }

    private static JsonNode get(ApiHandler api, String query) {
        var parameters = new LinkedHashMap<String, String>();
        for (var pair : query.split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        var event = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/orders").withResource("/orders")
                .withQueryStringParameters(parameters);
        // the access log of a few hundred requests would bury the figures
        var context = new InvocationContext("bench", "orderflow-bench-api", "$LATEST", STATE_MACHINE, 1024,
                Instant.now().plusSeconds(29), Clock.systemUTC(), line -> { });
        var response = api.handleRequest(event, context);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("GET /orders?" + query + " answered " + response.getStatusCode() + ": "
                    + response.getBody());
        }
        try {
            return Json.mapper().readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a filter without an index costs per page: list every record and read each, 8 at a time. */
    private static int readEveryRecord(S3Client s3) throws Exception {
        var keys = new ArrayList<String>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("orders/")).contents().forEach(o -> keys.add(o.key()));
        var read = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var futures = new ArrayList<Future<?>>();
            for (var key : keys) {
                futures.add(pool.submit(() -> {
                    if (s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray().length > 0) {
                        read.incrementAndGet();
                    }
                }));
            }
            for (var future : futures) {
                future.get();
            }
        }
        return read.get();
    }

    private static S3Client countingClient(URI endpoint, AtomicLong requests) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        requests.incrementAndGet();
                    }
                }))
                .build();
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** A clock one writer sets before each write: creation times 100 ms apart whoever writes the order. */
    private static final class SettableClock extends Clock {
        Instant now = FIRST_CREATED;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

}
