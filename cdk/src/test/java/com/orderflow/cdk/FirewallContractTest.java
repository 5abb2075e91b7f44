package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.api.http.ApiResponse;
import com.orderflow.api.http.Problem;
import com.orderflow.api.validation.JsonBody;
import com.orderflow.cdk.WafRuleSimulation.Request;

/**
 * WAF keeps the API's contract: orders up to the contract's 64 KiB pass, a larger body is 413, POST /orders has
 * its own per-IP rate, and every block of orderflow's own rules answers with the function's problem body.
 */
class FirewallContractTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode acl;

    @BeforeAll
    static void synthesize() {
        var synth = SynthesizedStack.dev();
        acl = synth.resource(synth.logicalIds("AWS::WAFv2::WebACL").getFirst()).path("Properties");
    }

    @Test
    void ordersUpToTheContractsLimit_pass_andLargerBodiesAre413() {
        var waf = new WafRuleSimulation(acl);

        for (var size : List.of(300, 8 * 1024 + 1, 16 * 1024 + 1, 48 * 1024, JsonBody.MAX_BYTES)) {
            assertThat(waf.evaluate(new Request("POST", "/dev/orders", size)).blocked()).as("POST of %d bytes", size).isFalse();
        }
        for (var size : List.of(JsonBody.MAX_BYTES + 1, 6 * 1024 * 1024)) {
            var verdict = waf.evaluate(new Request("POST", "/dev/orders", size));
            assertThat(verdict.status()).as("POST of %d bytes", size).isEqualTo(413);
            assertThat(verdict.bodyKey()).isEqualTo("ContentTooLarge");
        }
    }

    @Test
    void theCommonRuleSets8KbRule_stillHoldsOffPostOrders() {
        var waf = new WafRuleSimulation(acl);

        var getWithBody = waf.evaluate(new Request("GET", "/dev/orders", 9 * 1024));
        var postElsewhere = waf.evaluate(new Request("POST", "/dev/orders/ord_x/history", 9 * 1024));

        assertThat(getWithBody.status()).isEqualTo(413);
        assertThat(getWithBody.rule()).isEqualTo("LargeBodyOutsidePostOrders");
        assertThat(postElsewhere.status()).isEqualTo(413);
        assertThat(waf.evaluate(new Request("GET", "/dev/orders", 0)).blocked()).isFalse();
    }

    @Test
    void withoutTheOverride_theCommonRuleSetWouldRefuseA9KbOrder() {
        // proves the simulation can fail: the managed group as it comes blocks valid orders over 8 KB
        var unmodified = acl.deepCopy();
        unmodified.path("Rules").forEach(rule -> {
            if (rule.at("/Statement/ManagedRuleGroupStatement") instanceof ObjectNode group) {
                group.remove("RuleActionOverrides");
            }
        });

        var verdict = new WafRuleSimulation(unmodified).evaluate(new Request("POST", "/dev/orders", 9 * 1024));

        assertThat(verdict.blocked()).isTrue();
        assertThat(verdict.rule()).isEqualTo("AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY");
    }

    @Test
    void wafInspectsBodiesUpToTheContractsLimit() {
        assertThat(acl.at("/AssociationConfig/RequestBody/API_GATEWAY/DefaultSizeInspectionLimit").asText()).isEqualTo("KB_64");
        assertThat(64 * 1024).isEqualTo(JsonBody.MAX_BYTES);
        var size = rule("BodyOverContractLimit").at("/Statement/SizeConstraintStatement");
        assertThat(size.path("Size").asInt()).isEqualTo(JsonBody.MAX_BYTES);
        assertThat(size.path("ComparisonOperator").asText()).isEqualTo("GT");
        assertThat(size.at("/FieldToMatch/Body/OversizeHandling").asText()).isEqualTo("MATCH");
        // cut off before the managed groups spend their capacity on it
        assertThat(rule("BodyOverContractLimit").path("Priority").asInt())
                .isLessThan(rule("AWSManagedRulesCommonRuleSet").path("Priority").asInt());
        assertThat(rule("LargeBodyOutsidePostOrders").path("Priority").asInt())
                .isGreaterThan(rule("AWSManagedRulesCommonRuleSet").path("Priority").asInt());
    }

    @Test
    void postOrders_hasItsOwnPerIpRate_below_theGeneralOne() {
        var orders = rule("OrderPostsPerIp").at("/Statement/RateBasedStatement");
        var general = rule("RateLimitPerIp").at("/Statement/RateBasedStatement");

        assertThat(orders.path("Limit").asInt()).isEqualTo(100).isLessThan(general.path("Limit").asInt());
        assertThat(orders.path("AggregateKeyType").asText()).isEqualTo("IP");
        assertThat(orders.path("EvaluationWindowSec").asInt()).isEqualTo(300);
        var scope = orders.at("/ScopeDownStatement/AndStatement/Statements");
        assertThat(scope.toString()).contains("\"Method\":{}", "\"SearchString\":\"POST\"", "\"EXACTLY\"",
                "\"UriPath\":{}", "\"SearchString\":\"/orders\"", "\"ENDS_WITH\"");
        var block = rule("OrderPostsPerIp").at("/Action/Block/CustomResponse");
        assertThat(block.path("ResponseCode").asInt()).isEqualTo(429);
        assertThat(block.path("ResponseHeaders").toString()).contains("Retry-After");
    }

    @Test
    void everyBlockOfOurOwnRules_answersWithACustomProblemBody() throws Exception {
        var bodies = acl.path("CustomResponseBodies");
        var blocking = new ArrayList<String>();
        for (var rule : acl.path("Rules")) {
            if (rule.has("Action")) {
                var custom = rule.at("/Action/Block/CustomResponse");
                assertThat(custom.isObject()).as(rule.path("Name").asText()).isTrue();
                var body = bodies.path(custom.path("CustomResponseBodyKey").asText());
                assertThat(body.path("ContentType").asText()).isEqualTo("APPLICATION_JSON");
                var problem = MAPPER.readTree(body.path("Content").asText());
                assertThat(problem.path("status").asInt()).isEqualTo(custom.path("ResponseCode").asInt());
                assertThat(problem.path("type").asText()).isEqualTo("about:blank");
                assertThat(problem.path("title").asText()).isEqualTo(Problem.of(problem.path("status").asInt(), "x").title());
                blocking.add(rule.path("Name").asText());
            }
        }
        assertThat(blocking).contains("RateLimitPerIp", "OrderPostsPerIp", "BodyOverContractLimit", "LargeBodyOutsidePostOrders");
    }

    @Test
    void the413Body_isExactlyWhatTheFunctionAnswersForATooLargeBody() throws Exception {
        var waf = MAPPER.readTree(acl.at("/CustomResponseBodies/ContentTooLarge/Content").asText());
        var tooLarge = "x".repeat(JsonBody.MAX_BYTES + 1);
        Problem functionsProblem;
        try {
            JsonBody.read(new com.orderflow.api.http.ApiRequest("POST", "/orders", "/orders", java.util.Map.of(),
                    java.util.Map.of("Content-Type", "application/json"), java.util.Map.of(), tooLarge, false, "", "t"));
            throw new AssertionError("the function accepted " + tooLarge.length() + " bytes");
        } catch (com.orderflow.api.http.ProblemException e) {
            functionsProblem = e.problem();
        }
        // without instance and correlationId, which a static WAF body cannot know
        var function = MAPPER.readTree(ApiResponse.problem(functionsProblem, null, null).body());

        assertThat(waf).isEqualTo(function);
    }

    private static JsonNode rule(String name) {
        for (var rule : acl.path("Rules")) {
            if (rule.path("Name").asText().equals(name)) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + name + " in " + WafRuleSimulation.ruleNames(acl));
    }
}
