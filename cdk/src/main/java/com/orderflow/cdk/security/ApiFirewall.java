package com.orderflow.cdk.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.orderflow.cdk.AppConfig;

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
 * AWS WAF in front of the API stage: a per-IP rate limit, four AWS managed rule groups, optional
 * geo-blocking, and logs to CloudWatch.
 */
public final class ApiFirewall extends Construct {

    /** AWS managed rule groups, in evaluation order (cheapest and most selective first). */
    public static final List<String> MANAGED_RULE_GROUPS = List.of(
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesSQLiRuleSet");

    private final CfnWebACL webAcl;
    private final String webAclName;

    public ApiFirewall(Construct scope, String id, AppConfig config, Stage apiStage) {
        super(scope, id);
        webAclName = config.resourceName("api-acl");

        var rules = new ArrayList<CfnWebACL.RuleProperty>();
        var priority = 0;
        if (!config.blockedCountries().isEmpty()) {
            rules.add(CfnWebACL.RuleProperty.builder()
                    .name("BlockedCountries")
                    .priority(priority++)
                    .action(block())
                    .statement(CfnWebACL.StatementProperty.builder()
                            .geoMatchStatement(CfnWebACL.GeoMatchStatementProperty.builder()
                                    .countryCodes(config.blockedCountries())
                                    .build())
                            .build())
                    .visibilityConfig(visibility("BlockedCountries"))
                    .build());
        }
        // before the managed groups, so a flood from one address is cut off by the cheapest rule
        rules.add(CfnWebACL.RuleProperty.builder()
                .name("RateLimitPerIp")
                .priority(priority++)
                .action(block())
                .statement(CfnWebACL.StatementProperty.builder()
                        .rateBasedStatement(CfnWebACL.RateBasedStatementProperty.builder()
                                .limit(config.wafRateLimit())
                                .evaluationWindowSec(300)
                                .aggregateKeyType("IP")
                                .build())
                        .build())
                .visibilityConfig(visibility("RateLimitPerIp"))
                .build());
        for (var group : MANAGED_RULE_GROUPS) {
            rules.add(CfnWebACL.RuleProperty.builder()
                    .name(group)
                    .priority(priority++)
                    .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(Map.of()).build())
                    .statement(CfnWebACL.StatementProperty.builder()
                            .managedRuleGroupStatement(CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                                    .vendorName("AWS")
                                    .name(group)
                                    .build())
                            .build())
                    .visibilityConfig(visibility(group))
                    .build());
        }

        webAcl = CfnWebACL.Builder.create(this, "WebAcl")
                .name(webAclName)
                .description("orderflow " + config.stage() + " API protection")
                .scope("REGIONAL")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility(webAclName))
                .rules(rules)
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

    private static CfnWebACL.RuleActionProperty block() {
        return CfnWebACL.RuleActionProperty.builder().block(CfnWebACL.BlockActionProperty.builder().build()).build();
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
