package com.orderflow.cdk;

/**
 * What one caller, or all callers together, can make orderflow spend: every accepted {@code POST /orders} starts a
 * Standard execution (about 10 paid state transitions and 7 Lambda invocations), so order creation is bounded
 * more tightly than reads.
 *
 * @param orderPostsPerIp        {@code POST /orders} per client IP in WAF's 5-minute window before WAF answers 429
 * @param orderPostRate          API Gateway's steady-state {@code POST /orders} per second for the whole stage
 * @param orderPostBurst         API Gateway's {@code POST /orders} burst for the whole stage
 * @param usagePlanDailyQuota    requests per API key and day in the usage plan
 * @param apiReservedConcurrency concurrent API function instances: a cap on what it can cost, and capacity no other
 *                               function in the account can take from it
 */
public record AbuseLimits(
        int orderPostsPerIp,
        int orderPostRate,
        int orderPostBurst,
        int usagePlanDailyQuota,
        int apiReservedConcurrency) {

    public AbuseLimits {
        // WAF's minimum for a rate-based rule is 10 requests per evaluation window
        if (orderPostsPerIp < 10) {
            throw new IllegalArgumentException("orderPostsPerIp must be at least 10 but was " + orderPostsPerIp);
        }
        if (orderPostRate <= 0 || orderPostBurst <= 0 || usagePlanDailyQuota <= 0 || apiReservedConcurrency <= 0) {
            throw new IllegalArgumentException("abuse limits must be positive: " + this);
        }
    }

    /**
     * The stage defaults. At about 150 ms per POST, a burst of 20 (100) keeps 3 (15) API instances busy, so 10 (50)
     * reserved instances also leave room for reads.
     */
    public static AbuseLimits forStage(boolean production) {
        return production
                ? new AbuseLimits(300, 50, 100, 200_000, 50)
                : new AbuseLimits(100, 10, 20, 10_000, 10);
    }
}
