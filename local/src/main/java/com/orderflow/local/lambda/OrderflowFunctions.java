package com.orderflow.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.workflow.inventory.ReleaseInventoryHandler;
import com.orderflow.workflow.inventory.ReserveInventoryHandler;
import com.orderflow.workflow.merge.MergeResultsHandler;
import com.orderflow.workflow.payment.AuthorizePaymentHandler;
import com.orderflow.workflow.payment.VoidPaymentHandler;
import com.orderflow.workflow.persist.PersistOrderHandler;
import com.orderflow.workflow.validate.ValidateOrderHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The orderflow workflow's Lambda functions as the local stack runs them: the real handlers under
 * their deployed names ({@code orderflow-local-<name>}), and the alias ARNs that fill the workflow
 * definition's {@code ${...FunctionArn}} placeholders.
 */
public final class OrderflowFunctions {

    public static final String STAGE = "local";
    public static final String ALIAS = "live";

    /** Definition placeholder → function name suffix. */
    public static final Map<String, String> PLACEHOLDERS = placeholders();

    private OrderflowFunctions() {
    }

    /** {@code orderflow-local-<suffix>}. */
    public static String functionName(String suffix) {
        return "orderflow-" + STAGE + "-" + suffix;
    }

    /**
     * Registers the seven workflow handlers; PersistOrder writes to {@code bucket} through {@code s3}
     * (a client pointed at the local S3), the others use their JVM-wide simulated systems.
     */
    public static LocalLambdaInvoker.Builder register(LocalLambdaInvoker.Builder builder, S3Client s3, String bucket) {
        Map<String, RequestHandler<?, ?>> handlers = new LinkedHashMap<>();
        handlers.put("validate-order", new ValidateOrderHandler());
        handlers.put("reserve-inventory", new ReserveInventoryHandler());
        handlers.put("release-inventory", new ReleaseInventoryHandler());
        handlers.put("authorize-payment", new AuthorizePaymentHandler());
        handlers.put("void-payment", new VoidPaymentHandler());
        handlers.put("merge-results", new MergeResultsHandler());
        handlers.put("persist-order", new PersistOrderHandler(s3, bucket, Clock.systemUTC()));
        handlers.forEach((suffix, handler) -> builder.function(functionName(suffix), handler));
        return builder;
    }

    /** Placeholder → alias ARN ({@code ...:function:orderflow-local-<name>:live}) in the invoker's region and account. */
    public static Map<String, String> definitionSubstitutions(LocalLambdaInvoker invoker) {
        var substitutions = new LinkedHashMap<String, String>();
        PLACEHOLDERS.forEach((placeholder, suffix) ->
                substitutions.put(placeholder, invoker.functionArn(functionName(suffix), ALIAS)));
        return Map.copyOf(substitutions);
    }

    private static Map<String, String> placeholders() {
        var map = new LinkedHashMap<String, String>();
        map.put("ValidateOrderFunctionArn", "validate-order");
        map.put("ReserveInventoryFunctionArn", "reserve-inventory");
        map.put("ReleaseInventoryFunctionArn", "release-inventory");
        map.put("AuthorizePaymentFunctionArn", "authorize-payment");
        map.put("VoidPaymentFunctionArn", "void-payment");
        map.put("MergeResultsFunctionArn", "merge-results");
        map.put("PersistOrderFunctionArn", "persist-order");
        return Map.copyOf(map);
    }
}
