package com.orderflow.cdk.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.api.OrderRequestModel;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.Stage;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.wafv2.CfnLoggingConfiguration;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/**
 * AWS WAF in front of the API stage: per-IP rate limits (a tighter one for {@code POST /orders}), the contract's
 * 64 KiB body limit, four AWS managed rule groups, optional geo-blocking, and logs to CloudWatch. Its own blocks
 * answer in the API's problem shape ({@link FirewallResponses}).
 */
public final class ApiFirewall extends Construct {

    /** AWS managed rule groups, in evaluation order (cheapest and most selective first). */
    public static final List<String> MANAGED_RULE_GROUPS = List.of(
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesSQLiRuleSet");

    static final String COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
    static final String COMMON_BODY_SIZE_RULE = "SizeRestrictions_BODY";
    /** The label that rule adds to a request it matches, also when its action is overridden to count. */
    static final String COMMON_BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

    private final CfnWebACL webAcl;
    private final String webAclName;

    public ApiFirewall(Construct scope, String id, AppConfig config, Stage apiStage) {
        super(scope, id);
        webAclName = config.resourceName("api-acl");

        var rules = new ArrayList<CfnWebACL.RuleProperty>();
        if (!config.blockedCountries().isEmpty()) {
            rules.add(rule("BlockedCountries", rules.size(), FirewallResponses.GEO_BLOCKED.block(),
                    CfnWebACL.StatementProperty.builder()
                            .geoMatchStatement(CfnWebACL.GeoMatchStatementProperty.builder()
                                    .countryCodes(config.blockedCountries())
                                    .build())
                            .build()));
        }
        // before the managed groups, so a flood from one address is cut off by the cheapest rule
        rules.add(rule("RateLimitPerIp", rules.size(), FirewallResponses.TOO_MANY_REQUESTS.block(),
                rateLimit(config.wafRateLimit(), null)));
        // every accepted POST starts a paid execution: one address gets far fewer of those than reads
        rules.add(rule("OrderPostsPerIp", rules.size(), FirewallResponses.TOO_MANY_ORDERS.block(),
                rateLimit(config.abuseLimits().orderPostsPerIp(), OrderRequests.postOrders())));
        // the contract's 413 for any body over 64 KiB, which the association below lets WAF measure
        rules.add(rule("BodyOverContractLimit", rules.size(), FirewallResponses.CONTENT_TOO_LARGE.block(),
                OrderRequests.bodyLargerThan(OrderRequestModel.MAX_BODY_BYTES)));
        for (var group : MANAGED_RULE_GROUPS) {
            rules.add(managedGroup(group, rules.size()));
        }
        // the common rule set's 8 KB body rule only counts (see managedGroup); it still blocks off POST /orders
        rules.add(rule("LargeBodyOutsidePostOrders", rules.size(), FirewallResponses.BODY_NOT_ALLOWED_HERE.block(),
                OrderRequests.labelledButNotPostOrders(COMMON_BODY_SIZE_LABEL)));

        webAcl = CfnWebACL.Builder.create(this, "WebAcl")
                .name(webAclName)
                .description("orderflow " + config.stage() + " API protection")
                .scope("REGIONAL")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility(webAclName))
                .rules(rules)
                .customResponseBodies(FirewallResponses.bodies())
                // API Gateway forwards 16 KB of body by default; 64 KB lets WAF see every valid order whole and
                // tell a body over the contract's limit (oversize) from one at it
                .associationConfig(CfnWebACL.AssociationConfigProperty.builder()
                        .requestBody(Map.of("API_GATEWAY", CfnWebACL.RequestBodyAssociatedResourceTypeConfigProperty.builder()
                                .defaultSizeInspectionLimit("KB_64")
                                .build()))
                        .build())
                .build();

        // the stage ARN references the stage, so CloudFormation associates only once the stage exists
        CfnWebACLAssociation.Builder.create(this, "ApiStageAssociation")
                .resourceArn(apiStage.getStageArn())
                .webAclArn(webAcl.getAttrArn())
                .build();

        // WAF accepts only log groups whose name starts with aws-waf-logs-
        var logGroupName = "aws-waf-logs-" + config.resourceName("api");
        var logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName(logGroupName)
                .retention(config.isProduction() ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK)
                .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        // WAF wants the log group ARN without the trailing ":*" that the LogGroup's Arn attribute carries
        var logGroupArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("logs")
                .resource("log-group")
                .resourceName(logGroupName)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        var logging = CfnLoggingConfiguration.Builder.create(this, "Logging")
                .resourceArn(webAcl.getAttrArn())
                .logDestinationConfigs(List.of(logGroupArn))
                // never log credentials that a client might send
                .redactedFields(List.of(
                        CfnLoggingConfiguration.FieldToMatchProperty.builder()
                                .singleHeader(Map.of("Name", "authorization"))
                                .build(),
                        CfnLoggingConfiguration.FieldToMatchProperty.builder()
                                .singleHeader(Map.of("Name", "cookie"))
                                .build()))
                .build();
        logging.getNode().addDependency(logGroup);
    }

    private static CfnWebACL.RuleProperty rule(String name, int priority, CfnWebACL.RuleActionProperty action,
                                                CfnWebACL.StatementProperty statement) {
        return CfnWebACL.RuleProperty.builder()
                .name(name)
                .priority(priority)
                .action(action)
                .statement(statement)
                .visibilityConfig(visibility(name))
                .build();
    }

    private static CfnWebACL.StatementProperty rateLimit(int limit, CfnWebACL.StatementProperty scopeDown) {
        var rate = CfnWebACL.RateBasedStatementProperty.builder()
                .limit(limit)
                .evaluationWindowSec(300)
                .aggregateKeyType("IP");
        if (scopeDown != null) {
            rate.scopeDownStatement(scopeDown);
        }
        return CfnWebACL.StatementProperty.builder().rateBasedStatement(rate.build()).build();
    }

    private static CfnWebACL.RuleProperty managedGroup(String group, int priority) {
        var statement = CfnWebACL.ManagedRuleGroupStatementProperty.builder().vendorName("AWS").name(group);
        if (group.equals(COMMON_RULE_SET)) {
            // its SizeRestrictions_BODY blocks any body over 8 KB, below the contract's 64 KiB for orders
            statement.ruleActionOverrides(List.of(CfnWebACL.RuleActionOverrideProperty.builder()
                    .name(COMMON_BODY_SIZE_RULE)
                    .actionToUse(CfnWebACL.RuleActionProperty.builder()
                            .count(CfnWebACL.CountActionProperty.builder().build())
                            .build())
                    .build()));
        }
        return CfnWebACL.RuleProperty.builder()
                .name(group)
                .priority(priority)
                .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(Map.of()).build())
                .statement(CfnWebACL.StatementProperty.builder().managedRuleGroupStatement(statement.build()).build())
                .visibilityConfig(visibility(group))
                .build();
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metricName) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .cloudWatchMetricsEnabled(true)
                .sampledRequestsEnabled(true)
                .metricName(metricName)
                .build();
    }

    public CfnWebACL webAcl() {
        return webAcl;
    }

    /** The WebACL's name: the {@code WebACL} dimension of its CloudWatch metrics. */
    public String webAclName() {
        return webAclName;
    }
}
