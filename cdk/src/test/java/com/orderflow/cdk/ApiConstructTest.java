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
        assertThat(methods.keySet()).containsExactly(
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

        assertThat(permissions).hasSize(4);
        var stageId = synth.logicalIds("AWS::ApiGateway::Stage").getFirst();
        for (var permission : permissions) {
            var sourceArn = permission.at("/Properties/SourceArn").toString();
            assertThat(sourceArn).contains("{\"Ref\":\"" + stageId + "\"}").containsPattern("/(GET|POST)/orders");
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
        assertThat(texts(schema.path("required"))).containsExactlyInAnyOrder("customer", "currency", "items", "payment", "total");
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
    void stage_isThrottled_tracedAndLogsWithoutRequestBodies() {
        synth.template().hasResourceProperties("AWS::ApiGateway::Stage", Match.objectLike(Map.of(
                "StageName", "dev",
                "TracingEnabled", true,
                "MethodSettings", List.of(Match.objectLike(Map.of(
                        "HttpMethod", "*",
                        "ResourcePath", "/*",
                        "ThrottlingRateLimit", 20,
                        "ThrottlingBurstLimit", 40,
                        "LoggingLevel", "INFO",
                        "DataTraceEnabled", false,
                        "MetricsEnabled", true))))));
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
    void gatewayErrors_areProblemJson_withTheRightStatus() throws Exception {
        var responses = new TreeMap<String, JsonNode>();
        synth.resources("AWS::ApiGateway::GatewayResponse")
                .forEach(r -> responses.put(r.at("/Properties/ResponseType").asText(), r.path("Properties")));

        assertThat(responses).containsOnlyKeys("BAD_REQUEST_BODY", "MISSING_AUTHENTICATION_TOKEN", "THROTTLED");
        assertThat(responses.get("MISSING_AUTHENTICATION_TOKEN").path("StatusCode").asText()).isEqualTo("404");
        for (var response : responses.values()) {
            assertThat(response.at("/ResponseParameters/gatewayresponse.header.Content-Type").asText())
                    .isEqualTo("'application/problem+json'");
            // API Gateway substitutes variables without escaping; messageString arrives already quoted
            var body = response.at("/ResponseTemplates/application~1json").asText()
                    .replace("$context.error.messageString", "\"Invalid request body\"")
                    .replace("$context.requestId", "r-1");
            var problem = MAPPER.readTree(body);
            assertThat(problem.path("status").asText()).isEqualTo(response.path("StatusCode").asText());
            assertThat(problem.path("title").asText()).isNotBlank();
        }
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
