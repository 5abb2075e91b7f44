package com.orderflow.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.UncheckedIOException;

/**
 * One in-process Lambda function: a {@link RequestHandler} with JSON mapped to and from its declared
 * input and output types by {@link Json#mapper()}, the way the local stack stands in for Lambda's runtime.
 */
final class LocalFunction {

    private final String name;
    private final RequestHandler<Object, Object> handler;
    private final JavaType inputType;
    /**
     * A handler whose input type a tree is (JsonNode and its kinds, TreeNode, Object) gets the engine's tree itself
     * from Jackson, so it gets a copy; any other type is built anew from the tree.
     */
    private final boolean takesTree;

    LocalFunction(String name, RequestHandler<?, ?> handler) {
        this(name, handler, inputType(handler));
    }

    @SuppressWarnings("unchecked")
    LocalFunction(String name, RequestHandler<?, ?> handler, JavaType inputType) {
        this.name = name;
        this.handler = (RequestHandler<Object, Object>) handler;
        this.inputType = inputType;
        this.takesTree = inputType.isTypeOrSubTypeOf(JsonNode.class)
                || inputType.getRawClass().isAssignableFrom(JsonNode.class);
    }

    String name() {
        return name;
    }

    JavaType inputType() {
        return inputType;
    }

    /**
     * Runs the handler on a JSON event.
     *
     * @throws FunctionError when the event does not map to the input type or the handler throws
     */
    JsonNode invoke(JsonNode event, Context context) throws FunctionError {
        Object input;
        try {
            // one mapping per hop: the tree to the handler's type, without text in between
            input = Json.mapper().treeToValue(takesTree ? event.deepCopy() : event, inputType);
        } catch (JsonProcessingException e) {
            // what the Java runtime reports when the event does not fit the handler's input type
            throw new FunctionError(new RuntimeException("An error occurred during JSON parsing",
                    new UncheckedIOException(e)));
        } catch (IllegalArgumentException e) {
            throw new FunctionError(new RuntimeException("An error occurred during JSON parsing", e));
        }
        Object output;
        try {
            output = handler.handleRequest(input, context);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            throw new FunctionError(t);
        }
        try {
            return Json.mapper().valueToTree(output);
        } catch (IllegalArgumentException e) {
            throw new FunctionError(new RuntimeException("An error occurred during JSON serialization of response", e));
        }
    }

    /** The {@code In} of {@code RequestHandler<In, Out>} as the handler's class declares it; Object if erased. */
    private static JavaType inputType(RequestHandler<?, ?> handler) {
        var types = Json.mapper().getTypeFactory();
        var parameters = types.constructType(handler.getClass()).findTypeParameters(RequestHandler.class);
        return parameters.length == 2 ? parameters[0] : types.constructType(Object.class);
    }

    /** The handler (or the runtime on its behalf) failed; {@link #getCause()} is what it threw. */
    static final class FunctionError extends Exception {

        private static final long serialVersionUID = 1L;

        FunctionError(Throwable thrown) {
            super(thrown.getMessage(), thrown, false, false);
        }
    }
}
