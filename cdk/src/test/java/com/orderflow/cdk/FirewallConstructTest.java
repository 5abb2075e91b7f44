package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** WAF in front of the API stage (dev: no geo-blocking; see {@link ProductionStageTest} for the blocked countries). */
class FirewallConstructTest {

    private static SynthesizedStack synth;
    private static JsonNode acl;
    private static String aclId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
        aclId = synth.logicalIds("AWS::WAFv2::WebACL").getFirst();
        acl = synth.resource(aclId).path("Properties");
    }

    @Test
    void webAcl_isRegional_allowsByDefault_andPublishesMetrics() {
        assertThat(acl.path("Scope").asText()).isEqualTo("REGIONAL");
        assertThat(acl.at("/DefaultAction/Allow").isObject()).isTrue();
        assertThat(acl.at("/VisibilityConfig/CloudWatchMetricsEnabled").asBoolean()).isTrue();
        assertThat(acl.path("Name").asText()).isEqualTo("orderflow-dev-api-acl");
    }

    @Test
    void rateBasedRule_blocksAnIpAboveTheLimit_beforeTheManagedGroups() {
        var rate = rule("RateLimitPerIp");

        assertThat(rate.at("/Action/Block").isObject()).isTrue();
        assertThat(rate.at("/Statement/RateBasedStatement/AggregateKeyType").asText()).isEqualTo("IP");
        assertThat(rate.at("/Statement/RateBasedStatement/Limit").asInt()).isEqualTo(500);
        assertThat(rate.path("Priority").asInt()).isEqualTo(0);
    }

    @Test
    void managedRuleGroups_areTheFourAwsGroups_inTheirOwnActions() {
        var groups = new ArrayList<String>();
        for (var rule : rules()) {
            var statement = rule.at("/Statement/ManagedRuleGroupStatement");
            if (!statement.isMissingNode()) {
                assertThat(statement.path("VendorName").asText()).isEqualTo("AWS");
                assertThat(rule.at("/OverrideAction/None").isObject()).as(rule.path("Name").asText()).isTrue();
                assertThat(rule.at("/VisibilityConfig/MetricName").asText()).isEqualTo(statement.path("Name").asText());
                groups.add(statement.path("Name").asText());
            }
        }

        assertThat(groups).containsExactlyInAnyOrder("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesSQLiRuleSet");
    }

    @Test
    void rulePriorities_areUnique() {
        var priorities = rules().stream().map(r -> r.path("Priority").asInt()).toList();

        assertThat(priorities).doesNotHaveDuplicates();
    }

    @Test
    void devStage_hasNoGeoBlocking() {
        assertThat(rules()).noneMatch(r -> r.at("/Statement/GeoMatchStatement").isObject());
    }

    @Test
    void webAcl_isAssociatedWithTheApiStage() {
        var associations = synth.resources("AWS::WAFv2::WebACLAssociation");
        assertThat(associations).hasSize(1);
        var association = associations.getFirst().path("Properties");
        var stageId = synth.logicalIds("AWS::ApiGateway::Stage").getFirst();
        var restApiId = synth.logicalIds("AWS::ApiGateway::RestApi").getFirst();

        assertThat(association.at("/WebACLArn/Fn::GetAtt").toString()).isEqualTo("[\"" + aclId + "\",\"Arn\"]");
        var resourceArn = association.path("ResourceArn").toString();
        assertThat(resourceArn).contains(":apigateway:", "/restapis/", "{\"Ref\":\"" + restApiId + "\"}",
                "/stages/", "{\"Ref\":\"" + stageId + "\"}");
    }

    @Test
    void wafLogs_goToAnAwsWafLogsGroup_withCredentialsRedacted() {
        var logging = synth.resources("AWS::WAFv2::LoggingConfiguration").getFirst().path("Properties");
        var destination = logging.at("/LogDestinationConfigs/0").toString();

        assertThat(destination).contains(":log-group:aws-waf-logs-orderflow-dev-api").doesNotContain(":*");
        assertThat(synth.resources("AWS::Logs::LogGroup"))
                .anyMatch(g -> g.at("/Properties/LogGroupName").asText().equals("aws-waf-logs-orderflow-dev-api"));
        assertThat(logging.path("RedactedFields").toString()).contains("authorization", "cookie");
        assertThat(logging.at("/ResourceArn/Fn::GetAtt/0").asText()).isEqualTo(aclId);
    }

    private static JsonNode rule(String name) {
        return rules().stream().filter(r -> r.path("Name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name));
    }

    private static List<JsonNode> rules() {
        var rules = new ArrayList<JsonNode>();
        acl.path("Rules").forEach(rules::add);
        return rules;
    }
}
