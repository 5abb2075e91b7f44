package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awscdk.assertions.Match;

/** The REST API: routes proxied to the API alias, body validation, throttling, logs, tracing, gateway responses. */
class ApiConstructTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static SynthesizedStack synth;
    private static Map<String, JsonNode> methods;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
        methods = new TreeMap<>();
        for (var id : synth.logicalIds("AWS::ApiGateway::Method")) {
            var props = synth.resource(id).path("Properties");
            methods.put(props.path("HttpMethod").asText() + " " + pathOf(props.path("ResourceId")), props);
        }
    }

    @Test
    void routes_areExactlyTheFourOrderEndpoints() {
        // ANY sends every other method of a known path to the function, which answers 405 with Allow as it does locally
        assertThat(methods.keySet()).containsExactly(
                "ANY /orders", "ANY /orders/{id}", "ANY /orders/{id}/history",
                "GET /orders", "GET /orders/{id}", "GET /orders/{id}/history", "POST /orders");
    }

    @Test
    void everyRoute_isALambdaProxyIntegrationOnTheApiAlias() {
        var aliasId = synth.resources("AWS::Lambda::Alias").stream()
                .map(a -> SynthesizedStack.referencedId(a.at("/Properties/FunctionName")))
                .filter(fn -> synth.resource(fn).at("/Properties/FunctionName").asText().equals("orderflow-dev-api"))
                .findFirst().orElseThrow();
        var apiAliasId = synth.logicalIds("AWS::Lambda::Alias").stream()
                .filter(id -> aliasId.equals(SynthesizedStack.referencedId(synth.resource(id).at("/Properties/FunctionName"))))
                .findFirst().orElseThrow();

        methods.forEach((route, props) -> {
            assertThat(props.at("/Integration/Type").asText()).as(route).isEqualTo("AWS_PROXY");
            assertThat(props.at("/Integration/IntegrationHttpMethod").asText()).as(route).isEqualTo("POST");
            assertThat(props.at("/Integration/Uri").toString()).as(route).contains("{\"Ref\":\"" + apiAliasId + "\"}");
        });
    }

    @Test
    void invokePermissions_areScopedToTheStageAndRoute() {
        var permissions = synth.resources("AWS::Lambda::Permission");

        assertThat(permissions).hasSize(7);
        var stageId = synth.logicalIds("AWS::ApiGateway::Stage").getFirst();
        for (var permission : permissions) {
            var sourceArn = permission.at("/Properties/SourceArn").toString();
            assertThat(sourceArn).contains("{\"Ref\":\"" + stageId + "\"}").containsPattern("/(GET|POST|\\*)/orders");
            assertThat(permission.at("/Properties/Principal").asText()).isEqualTo("apigateway.amazonaws.com");
        }
    }

    @Test
    void postOrders_validatesTheBodyAgainstTheOrderModel() throws Exception {
        var post = methods.get("POST /orders");
        var validator = synth.resource(SynthesizedStack.referencedId(post.path("RequestValidatorId"))).path("Properties");
        assertThat(validator.path("ValidateRequestBody").asBoolean()).isTrue();

        var modelName = post.at("/RequestModels/application~1json");
        var model = synth.resource(SynthesizedStack.referencedId(modelName)).path("Properties");
        assertThat(model.path("ContentType").asText()).isEqualTo("application/json");
        var schema = model.path("Schema");
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-04/schema#");
        // total is optional, as in the README and the function (OrderRequestModelContractTest runs both over the same bodies)
        assertThat(texts(schema.path("required"))).containsExactlyInAnyOrder("customer", "currency", "items", "payment");
        assertThat(texts(schema.at("/properties/customer/required"))).containsExactlyInAnyOrder("id", "name", "email");
        assertThat(schema.at("/properties/items/type").asText()).isEqualTo("array");
        assertThat(schema.at("/properties/items/minItems").asInt()).isEqualTo(1);
        assertThat(texts(schema.at("/properties/items/items/required"))).containsExactlyInAnyOrder("sku", "quantity", "unitPrice");
        assertThat(schema.at("/properties/items/items/properties/quantity/type").asText()).isEqualTo("integer");
        assertThat(texts(schema.at("/properties/payment/required"))).containsExactly("token");
        assertThat(texts(schema.at("/properties/total/type"))).containsExactlyInAnyOrder("number", "string");
        // the GET routes have no body to validate
        assertThat(methods.get("GET /orders/{id}").has("RequestValidatorId")).isFalse();
    }

    @Test
    void stage_isThrottled_tracedAndLogsWithoutRequestBodies_andPostOrdersHasATighterBudget() {
        var logging = Map.<String, Object>of("LoggingLevel", "INFO", "DataTraceEnabled", false, "MetricsEnabled", true);
        var everyMethod = new java.util.HashMap<String, Object>(logging);
        everyMethod.putAll(Map.of("HttpMethod", "*", "ResourcePath", "/*", "ThrottlingRateLimit", 20, "ThrottlingBurstLimit", 40));
        var postOrders = new java.util.HashMap<String, Object>(logging);
        postOrders.putAll(Map.of("HttpMethod", "POST", "ResourcePath", "/~1orders", "ThrottlingRateLimit", 10, "ThrottlingBurstLimit", 20));

        synth.template().hasResourceProperties("AWS::ApiGateway::Stage", Match.objectLike(Map.of(
                "StageName", "dev",
                "TracingEnabled", true,
                "MethodSettings", Match.arrayEquals(List.of(Match.objectLike(everyMethod), Match.objectLike(postOrders))))));
    }

    @Test
    void usagePlan_coversTheStage_withTheStageThrottle_aTighterPostOrdersThrottle_andADailyQuota() {
        var plans = synth.resources("AWS::ApiGateway::UsagePlan");
        assertThat(plans).hasSize(1);
        var plan = plans.getFirst().path("Properties");
        var stageId = synth.logicalIds("AWS::ApiGateway::Stage").getFirst();

        assertThat(plan.path("UsagePlanName").asText()).isEqualTo("orderflow-dev-api-plan");
        assertThat(plan.at("/Throttle/RateLimit").asInt()).isEqualTo(20);
        assertThat(plan.at("/Throttle/BurstLimit").asInt()).isEqualTo(40);
        assertThat(plan.at("/Quota/Limit").asInt()).isEqualTo(10_000);
        assertThat(plan.at("/Quota/Period").asText()).isEqualTo("DAY");
        assertThat(SynthesizedStack.referencedId(plan.at("/ApiStages/0/Stage"))).isEqualTo(stageId);
        assertThat(plan.at("/ApiStages/0/Throttle/~1orders~1POST/RateLimit").asInt()).isEqualTo(10);
        assertThat(plan.at("/ApiStages/0/Throttle/~1orders~1POST/BurstLimit").asInt()).isEqualTo(20);
        // no method requires a key: the plan binds only callers given one (template-notes.md says so)
        methods.forEach((route, props) -> assertThat(props.path("ApiKeyRequired").asBoolean(false)).as(route).isFalse());
    }

    @Test
    void accessLogs_goToTheirLogGroupAsJson() throws Exception {
        var stage = synth.resources("AWS::ApiGateway::Stage").getFirst().path("Properties");
        var destination = SynthesizedStack.referencedId(stage.at("/AccessLogSetting/DestinationArn"));
        assertThat(synth.resource(destination).at("/Properties/LogGroupName").asText())
                .isEqualTo("/aws/apigateway/orderflow-dev-api/access");

        var format = MAPPER.readTree(stage.at("/AccessLogSetting/Format").asText());
        assertThat(format.path("requestId").asText()).isEqualTo("$context.requestId");
        assertThat(format.path("status").asText()).isEqualTo("$context.status");
    }

    @Test
    void executionLogging_hasTheAccountLevelCloudWatchRole() {
        synth.template().resourceCountIs("AWS::ApiGateway::Account", 1);
    }

    @Test
    void gatewayErrors_areProblemJson_inTheFunctionsShape_withTheRightStatus() throws Exception {
        var responses = gatewayResponses();

        assertThat(responses).containsOnlyKeys("BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS", "MISSING_AUTHENTICATION_TOKEN",
                "RESOURCE_NOT_FOUND", "REQUEST_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "UNAUTHORIZED", "ACCESS_DENIED",
                "WAF_FILTERED", "THROTTLED", "QUOTA_EXCEEDED", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT",
                "DEFAULT_4XX", "DEFAULT_5XX");
        for (var entry : responses.entrySet()) {
            var response = entry.getValue();
            assertThat(response.at("/ResponseParameters/gatewayresponse.header.Content-Type").asText()).as(entry.getKey())
                    .isEqualTo("'application/problem+json'");
            var problem = render(response);
            // the fields ApiResponse.problem writes, and nothing else
            assertThat(fieldNames(problem)).as(entry.getKey()).isSubsetOf("type", "title", "status", "detail", "correlationId")
                    .contains("type", "title", "detail", "correlationId");
            assertThat(problem.path("correlationId").asText()).isEqualTo("r-1");
            if (response.has("StatusCode")) {
                assertThat(problem.path("status").asText()).as(entry.getKey()).isEqualTo(response.path("StatusCode").asText());
                // the reason phrase the function would write for that status, where it names one
                var functionTitle = com.orderflow.api.http.Problem.of(response.path("StatusCode").asInt(), "x").title();
                if (!functionTitle.equals("Error") && problem.path("type").asText().equals("about:blank")) {
                    assertThat(problem.path("title").asText()).as(entry.getKey()).isEqualTo(functionTitle);
                }
            } else {
                // the catch-alls keep API Gateway's status, so their body names none
                assertThat(problem.has("status")).as(entry.getKey()).isFalse();
            }
        }
    }

    @Test
    void gatewayErrors_mapWhatTheContractNames() throws Exception {
        var responses = gatewayResponses();

        var badBody = render(responses.get("BAD_REQUEST_BODY"));
        assertThat(badBody.path("type").asText()).isEqualTo(com.orderflow.api.http.Problem.INVALID_REQUEST);
        assertThat(badBody.path("title").asText()).isEqualTo(com.orderflow.api.http.Problem.invalid("x", List.of()).title());
        assertThat(responses.get("MISSING_AUTHENTICATION_TOKEN").path("StatusCode").asText()).isEqualTo("404");
        assertThat(render(responses.get("REQUEST_TOO_LARGE")).path("detail").asText())
                .isEqualTo("The request body must not exceed " + com.orderflow.api.validation.JsonBody.MAX_BYTES + " bytes.");
        // a throttled function invocation: the contract's 503 with Retry-After, as the function answers when at capacity
        assertThat(responses.get("INTEGRATION_FAILURE").path("StatusCode").asText()).isEqualTo("503");
        for (var retried : List.of("THROTTLED", "QUOTA_EXCEEDED", "INTEGRATION_FAILURE")) {
            assertThat(responses.get(retried).at("/ResponseParameters/gatewayresponse.header.Retry-After").asText())
                    .as(retried).isEqualTo("'1'");
        }
    }

    private static Map<String, JsonNode> gatewayResponses() {
        var responses = new TreeMap<String, JsonNode>();
        synth.resources("AWS::ApiGateway::GatewayResponse")
                .forEach(r -> responses.put(r.at("/Properties/ResponseType").asText(), r.path("Properties")));
        return responses;
    }

    /** The body API Gateway sends: it substitutes variables without escaping, and messageString arrives quoted. */
    private static JsonNode render(JsonNode response) throws Exception {
        var body = response.at("/ResponseTemplates/application~1json").asText()
                .replace("$context.error.messageString", "\"Invalid request body\"")
                .replace("$context.requestId", "r-1");
        return MAPPER.readTree(body);
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String pathOf(JsonNode resourceRef) {
        var parts = new ArrayList<String>();
        var current = resourceRef;
        while (current.has("Ref")) {
            var resource = synth.resource(current.get("Ref").asText()).path("Properties");
            parts.addFirst(resource.path("PathPart").asText());
            current = resource.path("ParentId");
        }
        return "/" + String.join("/", parts);
    }

    private static List<String> texts(JsonNode array) {
        var list = new ArrayList<String>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
