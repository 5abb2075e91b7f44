package com.orderflow.cdk.functions;

import java.util.Arrays;
import java.util.List;

/**
 * Every Lambda function of orderflow: its name suffix, handler class and, for workflow tasks, the
 * placeholder the ASL file uses for its ARN.
 */
public enum OrderFunction {
    VALIDATE_ORDER("validate-order", "com.orderflow.workflow.validate.ValidateOrderHandler", "ValidateOrderFunctionArn"),
    RESERVE_INVENTORY("reserve-inventory", "com.orderflow.workflow.inventory.ReserveInventoryHandler", "ReserveInventoryFunctionArn"),
    RELEASE_INVENTORY("release-inventory", "com.orderflow.workflow.inventory.ReleaseInventoryHandler", "ReleaseInventoryFunctionArn"),
    AUTHORIZE_PAYMENT("authorize-payment", "com.orderflow.workflow.payment.AuthorizePaymentHandler", "AuthorizePaymentFunctionArn"),
    VOID_PAYMENT("void-payment", "com.orderflow.workflow.payment.VoidPaymentHandler", "VoidPaymentFunctionArn"),
    MERGE_RESULTS("merge-results", "com.orderflow.workflow.merge.MergeResultsHandler", "MergeResultsFunctionArn"),
    PERSIST_ORDER("persist-order", "com.orderflow.workflow.persist.PersistOrderHandler", "PersistOrderFunctionArn"),
    API("api", "com.orderflow.api.ApiHandler", null);

    private final String suffix;
    private final String handlerClass;
    private final String aslPlaceholder;

    OrderFunction(String suffix, String handlerClass, String aslPlaceholder) {
        this.suffix = suffix;
        this.handlerClass = handlerClass;
        this.aslPlaceholder = aslPlaceholder;
    }

    /** Name suffix: the function is {@code orderflow-<stage>-<suffix>}. */
    public String suffix() {
        return suffix;
    }

    public String handlerClass() {
        return handlerClass;
    }

    /** The {@code ${...}} name in the ASL file, or null for the API function. */
    public String aslPlaceholder() {
        return aslPlaceholder;
    }

    public boolean isWorkflowTask() {
        return aslPlaceholder != null;
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
        var id = new StringBuilder();
        for (var part : suffix.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.toString();
    }

    public static List<OrderFunction> workflowTasks() {
        return Arrays.stream(values()).filter(OrderFunction::isWorkflowTask).toList();
    }
}
