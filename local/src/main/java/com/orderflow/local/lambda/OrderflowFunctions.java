package com.orderflow.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.catalog.FunctionCatalog;
import com.orderflow.catalog.FunctionEntry;
import com.orderflow.workflow.persist.PersistOrderHandler;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The orderflow workflow's Lambda functions as the local stack runs them: every workflow task of the
 * {@link FunctionCatalog}, its real handler under its deployed name ({@code orderflow-local-<name>}), and the alias
 * ARNs that fill the workflow definition's {@code ${...FunctionArn}} placeholders. A handler is built as Lambda
 * builds it, with its no-argument constructor, unless it needs the local stack's own resources (PersistOrder
 * writes to the local S3).
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
     * Registers the workflow's handlers; PersistOrder writes to {@code bucket} through {@code s3}
     * (a client pointed at the local S3), the others use their JVM-wide simulated systems.
     */
    public static LocalLambdaInvoker.Builder register(LocalLambdaInvoker.Builder builder, S3Client s3, String bucket) {
        Map<String, Supplier<RequestHandler<?, ?>>> wiredLocally = Map.of(
                "persist-order", () -> new PersistOrderHandler(s3, bucket, Clock.systemUTC()));
        for (var task : FunctionCatalog.workflowTasks()) {
            var handler = wiredLocally.getOrDefault(task.name(), () -> asLambdaBuildsIt(task)).get();
            builder.function(functionName(task.name()), handler);
        }
        return builder;
    }

    /** Placeholder → alias ARN ({@code ...:function:orderflow-local-<name>:live}) in the invoker's region and account. */
    public static Map<String, String> definitionSubstitutions(LocalLambdaInvoker invoker) {
        var substitutions = new LinkedHashMap<String, String>();
        PLACEHOLDERS.forEach((placeholder, suffix) ->
                substitutions.put(placeholder, invoker.functionArn(functionName(suffix), ALIAS)));
        return Map.copyOf(substitutions);
    }

    private static RequestHandler<?, ?> asLambdaBuildsIt(FunctionEntry function) {
        try {
            var type = Class.forName(function.handler());
            return (RequestHandler<?, ?>) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | ClassCastException e) {
            throw new IllegalStateException("Function " + function.name() + ": cannot build its handler "
                    + function.handler() + " with a public no-argument constructor: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Function " + function.name() + ": its handler's constructor failed: "
                    + e.getCause(), e.getCause());
        }
    }

    private static Map<String, String> placeholders() {
        var map = new LinkedHashMap<String, String>();
        FunctionCatalog.workflowTasks().forEach(task -> map.put(task.aslPlaceholder(), task.name()));
        return Map.copyOf(map);
    }
}
