package com.orderflow.local.apigw;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiGatewayServerTest {

    /** Records every event and context it gets and answers with a configurable response. */
    static final class RecordingHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        final List<APIGatewayProxyRequestEvent> events = new CopyOnWriteArrayList<>();
        final List<Context> contexts = new CopyOnWriteArrayList<>();
        volatile Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> answer =
                e -> new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("{}");

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            events.add(event);
            contexts.add(context);
            return answer.apply(event);
        }

        APIGatewayProxyRequestEvent only() {
            assertThat(events).hasSize(1);
            return events.getFirst();
        }
    }

    private final RecordingHandler handler = new RecordingHandler();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiGatewayServer server;

    @BeforeEach
    void start() throws IOException {
        server = ApiGatewayServer.start(new ApiGatewayServer.Settings(0, RouteTemplates.ORDERFLOW, "local",
                "orderflow-local-api", "arn:aws:lambda:us-east-1:000000000000:function:orderflow-local-api:live",
                line -> { }, line -> { }), handler);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + server.port() + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postOrder_becomesProxyEvent_withResourceBodyHeadersAndRequestContext() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "key-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());

        var event = handler.only();
        assertThat(event.getHttpMethod()).isEqualTo("POST");
        assertThat(event.getPath()).isEqualTo("/orders");
        assertThat(event.getResource()).isEqualTo("/orders");
        assertThat(event.getPathParameters()).isNull();
        assertThat(event.getQueryStringParameters()).isNull();
        assertThat(event.getMultiValueQueryStringParameters()).isNull();
        assertThat(event.getBody()).isEqualTo("{\"a\":1}");
        assertThat(event.getIsBase64Encoded()).isFalse();
        assertThat(event.getHeaders()).containsEntry("Idempotency-Key", "key-1")
                .containsEntry("Content-Type", "application/json")
                .containsEntry("X-Forwarded-Proto", "http")
                .containsEntry("X-Forwarded-For", "127.0.0.1")
                .containsKey("Host");
        assertThat(event.getMultiValueHeaders()).containsEntry("Idempotency-Key", List.of("key-1"));

        var context = event.getRequestContext();
        assertThat(context.getStage()).isEqualTo("local");
        assertThat(context.getResourcePath()).isEqualTo("/orders");
        assertThat(context.getHttpMethod()).isEqualTo("POST");
        assertThat(context.getPath()).isEqualTo("/orders");
        assertThat(context.getIdentity().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(context.getIdentity().getUserAgent()).isNotBlank();
        assertThat(context.getRequestTimeEpoch()).isPositive();
        assertThat(context.getRequestTime()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(context.getRequestId()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(handler.contexts.getFirst().getAwsRequestId()).isEqualTo(context.getRequestId());
        assertThat(handler.contexts.getFirst().getInvokedFunctionArn()).endsWith("function:orderflow-local-api:live");
        assertThat(handler.contexts.getFirst().getRemainingTimeInMillis()).isPositive();
    }

    @Test
    void orderPath_matchesIdTemplate_andDecodesThePathParameter() throws Exception {
        send(HttpRequest.newBuilder(uri("/orders/ord%5Fabc")).GET().build());

        var event = handler.only();
        assertThat(event.getResource()).isEqualTo("/orders/{id}");
        assertThat(event.getPath()).isEqualTo("/orders/ord%5Fabc");
        assertThat(event.getPathParameters()).isEqualTo(Map.of("id", "ord_abc"));
        assertThat(event.getBody()).isNull();
    }

    @Test
    void stagePrefixedPath_routesLikeExecuteApi_andKeepsTheCalledPathInTheContext() throws Exception {
        send(HttpRequest.newBuilder(uri("/local/orders/ord_1")).GET().build());

        var event = handler.only();
        assertThat(event.getPath()).isEqualTo("/orders/ord_1");
        assertThat(event.getResource()).isEqualTo("/orders/{id}");
        assertThat(event.getRequestContext().getPath()).isEqualTo("/local/orders/ord_1");
    }

    @Test
    void historyPath_matchesHistoryTemplate() throws Exception {
        send(HttpRequest.newBuilder(uri("/orders/ord_1/history")).GET().build());

        assertThat(handler.only().getResource()).isEqualTo("/orders/{id}/history");
        assertThat(handler.only().getPathParameters()).isEqualTo(Map.of("id", "ord_1"));
    }

    @Test
    void unknownPath_fallsBackToGreedyProxyResource() throws Exception {
        send(HttpRequest.newBuilder(uri("/nothing/here")).DELETE().build());

        var event = handler.only();
        assertThat(event.getResource()).isEqualTo("/{proxy+}");
        assertThat(event.getPathParameters()).isEqualTo(Map.of("proxy", "nothing/here"));
        assertThat(event.getHttpMethod()).isEqualTo("DELETE");
    }

    @Test
    void queryString_givesLastValueAndEveryValue_decoded() throws Exception {
        send(HttpRequest.newBuilder(uri("/orders?limit=5&tag=a&tag=b%20c&nextToken=x%2By&flag")).GET().build());

        var event = handler.only();
        assertThat(event.getQueryStringParameters())
                .containsExactlyInAnyOrderEntriesOf(Map.of("limit", "5", "tag", "b c", "nextToken", "x+y", "flag", ""));
        assertThat(event.getMultiValueQueryStringParameters())
                .containsEntry("tag", List.of("a", "b c"))
                .containsEntry("limit", List.of("5"));
    }

    @Test
    void repeatedHeader_givesLastValueAndEveryValue() throws Exception {
        send(HttpRequest.newBuilder(uri("/orders")).header("X-Trace", "one").header("X-Trace", "two").GET().build());

        var event = handler.only();
        assertThat(event.getMultiValueHeaders()).containsEntry("X-Trace", List.of("one", "two"));
        assertThat(event.getHeaders()).containsEntry("X-Trace", "two");
    }

    @Test
    void binaryBody_isBase64Encoded() throws Exception {
        byte[] bytes = {(byte) 0xff, 0x00, (byte) 0xfe, 0x41};
        send(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());

        var event = handler.only();
        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(bytes);
    }

    @Test
    void proxyResponse_becomesHttpResponse_withStatusHeadersAndMultiValueHeaders() throws Exception {
        handler.answer = e -> new APIGatewayProxyResponseEvent()
                .withStatusCode(202)
                .withHeaders(Map.of("Location", "/orders/ord_1", "Content-Type", "application/json"))
                .withMultiValueHeaders(Map.of("Link", List.of("</a>; rel=a", "</b>; rel=b")))
                .withBody("{\"orderId\":\"ord_1\"}");

        var response = send(HttpRequest.newBuilder(uri("/orders")).POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).contains("/orders/ord_1");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().allValues("Link")).containsExactly("</a>; rel=a", "</b>; rel=b");
        assertThat(response.body()).isEqualTo("{\"orderId\":\"ord_1\"}");
    }

    @Test
    void base64ProxyResponse_isDecodedToBytes() throws Exception {
        handler.answer = e -> new APIGatewayProxyResponseEvent().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "image/png"))
                .withIsBase64Encoded(true)
                .withBody(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));

        var response = http.send(HttpRequest.newBuilder(uri("/orders")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.body()).containsExactly(1, 2, 3);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
    }

    @Test
    void handlerThrowing_answers502LikeApiGateway() throws Exception {
        handler.answer = e -> {
            throw new IllegalStateException("boom");
        };

        var response = send(HttpRequest.newBuilder(uri("/orders")).GET().build());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("Internal server error");
    }

    @Test
    void responseWithoutStatusCode_answers502() throws Exception {
        handler.answer = e -> new APIGatewayProxyResponseEvent().withBody("{}");

        assertThat(send(HttpRequest.newBuilder(uri("/orders")).GET().build()).statusCode()).isEqualTo(502);
    }

    @Test
    void bodyOverTenMegabytes_isRefusedWith413_withoutCallingTheFunction() throws Exception {
        byte[] big = new byte[(int) ApiGatewayServer.MAX_PAYLOAD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'a');

        var response = send(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"status\":413");
        assertThat(handler.events).isEmpty();
    }

    @Test
    void bodyOfExactlyTenMegabytes_reachesTheFunction() throws Exception {
        byte[] max = new byte[(int) ApiGatewayServer.MAX_PAYLOAD_BYTES];
        java.util.Arrays.fill(max, (byte) 'a');

        var response = send(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(max)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(handler.only().getBody()).hasSize(max.length);
        assertThat(new String(max, StandardCharsets.UTF_8)).isEqualTo(handler.only().getBody());
    }

    @Test
    void byDefault_listensOnLoopback() {
        assertThat(server.bindAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void atTheConnectionLimit_aNewConnectionGets503ProblemWithRetryAfter() throws Exception {
        try (var capped = ApiGatewayServer.start(new ApiGatewayServer.Settings(0, RouteTemplates.ORDERFLOW, "local",
                "orderflow-local-api", "arn:aws:lambda:us-east-1:000000000000:function:orderflow-local-api:live",
                line -> { }, line -> { }).withLimits(ApiGatewayServer.DEFAULT_LIMITS.withMaxConnections(1)), handler);
             var holding = new com.orderflow.local.http.RawClient(capped.port())) {
            // a first exchange makes sure the connection is being served before the second one arrives
            assertThat(holding.send("GET /orders HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            try (var refused = new com.orderflow.local.http.RawClient(capped.port())) {
                var response = refused.send("GET /orders HTTP/1.1\r\nHost: x\r\n\r\n").read();

                assertThat(response.status()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isEqualTo("1");
                assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
                var body = com.orderflow.json.Json.mapper().readTree(response.body());
                assertThat(body.path("status").asInt()).isEqualTo(503);
                assertThat(body.path("title").asText()).isEqualTo("Service Unavailable");
                assertThat(body.path("correlationId").asText()).isNotBlank();
                assertThat(refused.closedByServer()).isTrue();
            }
        }
        assertThat(handler.events).hasSize(1);
    }

    @Test
    void aMountedHandler_servesItsPathAndBelow_notAPathThatOnlyStartsLikeIt() throws Exception {
        server.mount("/ui", request -> com.orderflow.local.http.Response.text(200, "view"));

        assertThat(send(HttpRequest.newBuilder(uri("/ui")).GET().build()).body()).isEqualTo("view");
        assertThat(send(HttpRequest.newBuilder(uri("/ui/executions/x")).GET().build()).body()).isEqualTo("view");
        assertThat(handler.events).isEmpty();
        send(HttpRequest.newBuilder(uri("/uix")).GET().build());
        assertThat(handler.only().getPath()).isEqualTo("/uix");
    }

    @Test
    void aProxyResponseWithAHeaderThatWouldSplitTheResponse_is502() throws Exception {
        handler.answer = e -> new APIGatewayProxyResponseEvent().withStatusCode(200)
                .withHeaders(Map.of("X-Evil", "a\r\nSet-Cookie: x=1")).withBody("{}");

        var response = send(HttpRequest.newBuilder(uri("/orders")).GET().build());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }
}
