package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's CORS and {@code GET /orders}' parameters as synthesized: OPTIONS mock methods built from the shared
 * {@code cors.properties} for a stage given {@code corsOrigin}, none without it, and the origins passed to the function.
 */
class CorsConstructTest {

    private static SynthesizedStack withCors;
    private static SynthesizedStack withoutCors;

    @BeforeAll
    static void synthesize() {
        withCors = SynthesizedStack.synthesize(AppConfig.forStage("corsdev", SynthesizedStack.projectRoot())
                .withCorsOrigins(List.of("https://shop.example.com", "http://localhost:*")), true);
        withoutCors = SynthesizedStack.dev();
    }

    private static Map<String, JsonNode> methods(SynthesizedStack synth) {
        var methods = new TreeMap<String, JsonNode>();
        for (var id : synth.logicalIds("AWS::ApiGateway::Method")) {
            var props = synth.resource(id).path("Properties");
            var parts = new ArrayList<String>();
            var current = props.path("ResourceId");
            while (current.has("Ref")) {
                var resource = synth.resource(current.get("Ref").asText()).path("Properties");
                parts.addFirst(resource.path("PathPart").asText());
                current = resource.path("ParentId");
            }
            methods.put(props.path("HttpMethod").asText() + " /" + String.join("/", parts), props);
        }
        return methods;
    }

    @Test
    void eachResource_getsAnOptionsMock_answering204WithThePolicysHeaders() {
        var methods = methods(withCors);

        assertThat(methods.keySet()).contains("OPTIONS /orders", "OPTIONS /orders/{id}", "OPTIONS /orders/{id}/history");
        var options = methods.get("OPTIONS /orders");
        assertThat(options.at("/Integration/Type").asText()).isEqualTo("MOCK");
        assertThat(options.at("/AuthorizationType").asText()).isEqualTo("NONE");
        var response = options.at("/Integration/IntegrationResponses/0");
        assertThat(response.path("StatusCode").asText()).isEqualTo("204");
        var parameters = response.path("ResponseParameters");
        assertThat(parameters.path("method.response.header.Access-Control-Allow-Methods").asText()).isEqualTo("'GET,HEAD,POST,OPTIONS'");
        assertThat(parameters.path("method.response.header.Access-Control-Allow-Headers").asText()).isEqualTo("'Content-Type,Idempotency-Key'");
        assertThat(parameters.path("method.response.header.Access-Control-Max-Age").asText()).isEqualTo("'600'");
        assertThat(parameters.path("method.response.header.Vary").asText()).isEqualTo("'Origin'");
        assertThat(parameters.has("method.response.header.Access-Control-Allow-Origin")).as("named only when it matches").isFalse();
        assertThat(options.at("/MethodResponses/0/ResponseParameters/method.response.header.Access-Control-Allow-Origin").asBoolean()).isTrue();
        assertThat(methods.get("OPTIONS /orders/{id}").at("/Integration/IntegrationResponses/0/ResponseParameters")
                .path("method.response.header.Access-Control-Allow-Methods").asText()).isEqualTo("'GET,HEAD,OPTIONS'");
    }

    @Test
    void theMappingTemplate_namesBackOnlyAnOriginThatAPatternMatches() {
        var template = methods(withCors).get("OPTIONS /orders")
                .at("/Integration/IntegrationResponses/0/ResponseTemplates/application~1json").asText();
        assertThat(template).contains("$context.responseOverride.header.Access-Control-Allow-Origin = $origin");

        // the regular expressions in the template, run as API Gateway's VTL runs String.matches
        var regexes = new ArrayList<String>();
        var quoted = Pattern.compile("\\$origin\\.matches\\(\"([^\"]+)\"\\)").matcher(template);
        while (quoted.find()) {
            regexes.add(quoted.group(1));
        }
        assertThat(regexes).hasSize(2);
        assertThat(List.of("https://shop.example.com", "http://localhost:5173", "http://localhost"))
                .allMatch(origin -> regexes.stream().anyMatch(origin::matches));
        assertThat(List.of("https://shopxexample.com", "http://localhost.evil.example", "https://localhost:5173",
                "http://shop.example.com")).noneMatch(origin -> regexes.stream().anyMatch(origin::matches));
    }

    @Test
    void theFunction_isToldTheOrigins_forTheHeadersOfItsAnswers() {
        var api = withCors.resources("AWS::Lambda::Function").stream()
                .filter(f -> f.at("/Properties/FunctionName").asText().equals("orderflow-corsdev-api")).findFirst().orElseThrow();

        assertThat(api.at("/Properties/Environment/Variables/CORS_ALLOWED_ORIGINS").asText())
                .isEqualTo("https://shop.example.com,http://localhost:*");
        assertThat(withoutCors.resources("AWS::Lambda::Function"))
                .allSatisfy(f -> assertThat(f.at("/Properties/Environment/Variables").has("CORS_ALLOWED_ORIGINS")).isFalse());
    }

    @Test
    void withoutCorsOrigin_thereIsNoOptionsMethod() {
        assertThat(methods(withoutCors).keySet()).noneMatch(route -> route.startsWith("OPTIONS"));
    }

    @Test
    void theOptionsMethods_passTheStacksNagChecks() {
        assertThat(withCors.messages()).isEmpty();
    }

    @Test
    void getOrders_declaresItsQueryParameters_withAParameterValidator() {
        var get = methods(withoutCors).get("GET /orders");

        assertThat(get.path("RequestParameters").properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "method.request.querystring.limit", "method.request.querystring.nextToken",
                "method.request.querystring.status", "method.request.querystring.createdAfter",
                "method.request.querystring.createdBefore");
        assertThat(get.path("RequestParameters").properties()).allSatisfy(p -> assertThat(p.getValue().asBoolean()).isFalse());
        var validator = withoutCors.resource(SynthesizedStack.referencedId(get.path("RequestValidatorId"))).path("Properties");
        assertThat(validator.path("ValidateRequestParameters").asBoolean()).isTrue();
    }

    @Test
    void anOriginThatIsNotOne_stopsTheSynthesis() {
        assertThatThrownBy(() -> SynthesizedStack.synthesize(AppConfig.forStage("corsbad", SynthesizedStack.projectRoot())
                .withCorsOrigins(List.of("shop.example.com\")")), false))
                .hasMessageContaining("is not an origin");
    }
}
