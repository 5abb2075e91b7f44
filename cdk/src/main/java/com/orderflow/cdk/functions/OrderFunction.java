package com.orderflow.cdk.functions;

import com.orderflow.catalog.FunctionCatalog;
import com.orderflow.catalog.FunctionEntry;

import java.util.List;

/**
 * One Lambda function of orderflow as the CDK app deploys it: an entry of the {@link FunctionCatalog} (name,
 * handler class by name, ASL placeholder) plus what only a deployment decides (memory, alarm threshold). The app
 * deploys every entry; the two named here are the ones it grants more than logging to.
 */
public final class OrderFunction {

    private static final List<OrderFunction> ALL = FunctionCatalog.all().stream().map(OrderFunction::new).toList();

    /** Writes order records to the bucket. */
    public static final OrderFunction PERSIST_ORDER = named("persist-order");
    /** Reads order records and starts and describes executions; API Gateway invokes it. */
    public static final OrderFunction API = named("api");

    private final FunctionEntry entry;

    private OrderFunction(FunctionEntry entry) {
        this.entry = entry;
    }

    /** Every function, in the catalog's order. */
    public static List<OrderFunction> all() {
        return ALL;
    }

    public static List<OrderFunction> workflowTasks() {
        return ALL.stream().filter(OrderFunction::isWorkflowTask).toList();
    }

    private static OrderFunction named(String name) {
        return ALL.stream().filter(f -> f.suffix().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("The function catalog has no " + name));
    }

    /** Name suffix: the function is {@code orderflow-<stage>-<suffix>}. */
    public String suffix() {
        return entry.name();
    }

    public String handlerClass() {
        return entry.handler();
    }

    /** The {@code ${...}} name in the ASL file, or null for the API function. */
    public String aslPlaceholder() {
        return entry.aslPlaceholder();
    }

    public boolean isWorkflowTask() {
        return entry.isWorkflowTask();
    }

    /** The API serves interactive requests and parses/serializes more JSON, so it gets more memory (and CPU). */
    public int memoryMb() {
        return isWorkflowTask() ? 512 : 1024;
    }

    /** The p99 duration its latency alarm fires above: the API does S3 and Step Functions calls, the tasks less. */
    public int latencyAlarmMillis() {
        return isWorkflowTask() ? 2_000 : 3_000;
    }

    /** Construct id in PascalCase, e.g. {@code ValidateOrder}. */
    public String constructId() {
        return entry.pascalName();
    }

    @Override
    public String toString() {
        return suffix();
    }
}
