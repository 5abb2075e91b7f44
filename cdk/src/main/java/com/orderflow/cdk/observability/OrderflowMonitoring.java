package com.orderflow.cdk.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.functions.OrderFunction;
import com.orderflow.cdk.functions.OrderFunctions;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * One CloudWatch dashboard for the whole order path (API, workflow, functions, WAF) and the alarms that
 * page: API 5xx, failed or timed-out executions, function errors and latency, all sent to an encrypted SNS topic.
 * The function alarms also roll back a CodeDeploy traffic shift.
 */
public final class OrderflowMonitoring extends Construct {

    private static final Duration PERIOD = Duration.minutes(5);
    private static final Duration DEPLOYMENT_PERIOD = Duration.minutes(1);

    private final Dashboard dashboard;
    private final Topic alarmTopic;
    private final List<Alarm> alarms = new ArrayList<>();
    private final Map<OrderFunction, Alarm> errorAlarms = new LinkedHashMap<>();
    private final Map<OrderFunction, Alarm> latencyAlarms = new LinkedHashMap<>();

    public OrderflowMonitoring(Construct scope, String id, AppConfig config, RestApi api, StateMachine stateMachine,
                               OrderFunctions functions, String webAclName) {
        super(scope, id);

        // a customer managed key, because CloudWatch alarms cannot publish to a topic under the aws/sns key
        var key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the orderflow " + config.stage() + " alarm topic")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .topicName(config.resourceName("alarms"))
                .displayName("orderflow " + config.stage() + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        if (config.alarmEmail() != null) {
            alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail()));
        }

        var sum = MetricOptions.builder().statistic("Sum").period(PERIOD).build();
        alarm(config, "Api5xx", "api-5xx", "The API answered 5xx: a bug or a failing dependency (S3, Step Functions)",
                api.metricServerError(sum));
        alarm(config, "ExecutionsFailed", "executions-failed",
                "An order workflow failed after retries; the order was persisted as FAILED", stateMachine.metricFailed(sum));
        alarm(config, "ExecutionsTimedOut", "executions-timed-out", "An order workflow hit its timeout",
                stateMachine.metricTimedOut(sum));
        // one-minute periods: these alarms also stop a CodeDeploy traffic shift, whose canary lasts five minutes
        var sumPerMinute = MetricOptions.builder().statistic("Sum").period(DEPLOYMENT_PERIOD).build();
        var p99PerMinute = MetricOptions.builder().statistic("p99").period(DEPLOYMENT_PERIOD).build();
        for (var function : OrderFunction.all()) {
            var lambda = functions.function(function);
            errorAlarms.put(function, alarm(config, function.constructId() + "Errors", function.suffix() + "-errors",
                    "Function " + config.resourceName(function.suffix()) + " threw (after the runtime's own retries)",
                    lambda.metricErrors(sumPerMinute)));
            latencyAlarms.put(function, latencyAlarm(config, function, lambda.metricDuration(p99PerMinute)));
        }

        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(config.stackName())
                .defaultInterval(Duration.hours(3))
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# orderflow " + config.stage() + "\nAPI → Step Functions → Lambda → S3. Alarms go to SNS topic `"
                        + config.resourceName("alarms") + "`.")
                .width(24).height(2).build());
        dashboard.addWidgets(
                graph("API requests and errors", List.of(
                        api.metricCount(sum), api.metricClientError(sum), api.metricServerError(sum))),
                graph("API latency (ms)", List.of(
                        api.metricLatency(stat("p50", "Latency p50")), api.metricLatency(stat("p99", "Latency p99")),
                        api.metricIntegrationLatency(stat("p99", "Integration latency p99")))));
        dashboard.addWidgets(
                graph("Executions", List.of(
                        stateMachine.metricStarted(sum), stateMachine.metricSucceeded(sum),
                        stateMachine.metricFailed(sum), stateMachine.metricTimedOut(sum))),
                graph("Execution duration (ms)", List.of(
                        stateMachine.metricTime(stat("p50", "Duration p50")), stateMachine.metricTime(stat("p99", "Duration p99")))));
        dashboard.addWidgets(
                graph("Function errors", perFunction(functions, f -> f.metricErrors(labelled(sum, f)))),
                graph("Function duration p99 (ms)", perFunction(functions, f -> f.metricDuration(labelled(stat("p99", "p99"), f)))),
                graph("Function throttles", perFunction(functions, f -> f.metricThrottles(labelled(sum, f)))));
        dashboard.addWidgets(
                graph("WAF allowed / blocked requests", List.of(
                        waf(webAclName, "AllowedRequests"), waf(webAclName, "BlockedRequests"))));
    }

    /**
     * p99 duration above {@link OrderFunction#latencyAlarmMillis()} for two minutes in a row: well above a warm
     * invocation (20 to 150 ms), well below the timeout, so it fires on a regression and not on one slow request.
     */
    private Alarm latencyAlarm(AppConfig config, OrderFunction function, Metric metric) {
        return notifying(Alarm.Builder.create(this, function.constructId() + "Latency")
                .alarmName(config.resourceName(function.suffix() + "-latency"))
                .alarmDescription("Function " + config.resourceName(function.suffix()) + " p99 duration over "
                        + function.latencyAlarmMillis() + " ms for 2 minutes")
                .metric(metric)
                .threshold(function.latencyAlarmMillis())
                .evaluationPeriods(2)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private Alarm alarm(AppConfig config, String id, String nameSuffix, String description, Metric metric) {
        return notifying(Alarm.Builder.create(this, id)
                .alarmName(config.resourceName(nameSuffix))
                .alarmDescription(description)
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                // no traffic is not an incident
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    /** Every alarm tells the alarm topic when it fires and when it clears, and is one of {@link #alarms()}. */
    private Alarm notifying(Alarm alarm) {
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
        alarms.add(alarm);
        return alarm;
    }

    private static Metric waf(String webAclName, String metricName) {
        return Metric.Builder.create()
                .namespace("AWS/WAFV2")
                .metricName(metricName)
                .dimensionsMap(Map.of("WebACL", webAclName, "Region", Aws.REGION, "Rule", "ALL"))
                .statistic("Sum")
                .period(PERIOD)
                .build();
    }

    private static List<IMetric> perFunction(OrderFunctions functions,
                                             java.util.function.Function<software.amazon.awscdk.services.lambda.Function, Metric> metric) {
        return OrderFunction.all().stream()
                .map(f -> (IMetric) metric.apply(functions.function(f)))
                .toList();
    }

    private static MetricOptions labelled(MetricOptions options, software.amazon.awscdk.services.lambda.Function function) {
        return MetricOptions.builder()
                .statistic(options.getStatistic())
                .period(options.getPeriod())
                .label(function.getNode().getId())
                .build();
    }

    private static MetricOptions stat(String statistic, String label) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).label(label).build();
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(metrics.size() > 4 ? 8 : 12).height(6).build();
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /** The alarms that roll back a traffic shift of {@code function}: its errors and its p99 latency. */
    public List<Alarm> rollbackAlarms(OrderFunction function) {
        return List.of(errorAlarms.get(function), latencyAlarms.get(function));
    }
}
