package com.orderflow.cdk.api;

import java.util.List;

import com.orderflow.cdk.AppConfig;

import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.ThrottlingPerMethod;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.constructs.Construct;

/**
 * The stage's usage plan: per API key, the stage's throttle, the tighter {@code POST /orders} throttle and a daily
 * quota. API Gateway applies a usage plan only to requests that carry one of its keys on a method that requires a
 * key; orderflow's methods require none today, so anonymous callers are bounded by the stage's method throttling,
 * WAF and the API function's reserved concurrency, and this plan is where a partner's key gets its allowance.
 */
public final class OrderUsagePlan {

    private OrderUsagePlan() {
    }

    public static UsagePlan create(Construct scope, AppConfig config, RestApi restApi, Method postOrders) {
        var limits = config.abuseLimits();
        return UsagePlan.Builder.create(scope, "UsagePlan")
                .name(config.resourceName("api-plan"))
                .description("orderflow " + config.stage() + ": allowance of one API key; POST /orders starts a paid execution")
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.apiRateLimit())
                        .burstLimit(config.apiBurstLimit())
                        .build())
                .quota(QuotaSettings.builder().limit(limits.usagePlanDailyQuota()).period(Period.DAY).build())
                .apiStages(List.of(UsagePlanPerApiStage.builder()
                        .api(restApi)
                        .stage(restApi.getDeploymentStage())
                        .throttle(List.of(ThrottlingPerMethod.builder()
                                .method(postOrders)
                                .throttle(ThrottleSettings.builder()
                                        .rateLimit(limits.orderPostRate())
                                        .burstLimit(limits.orderPostBurst())
                                        .build())
                                .build()))
                        .build()))
                .build();
    }
}
