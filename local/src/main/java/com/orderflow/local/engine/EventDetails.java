package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A history event's details as the engine recorded them. The events every execution records (states entered and
 * exited, executions started and succeeded, Parallel and Map progress, Lambda calls) keep just their fields, which
 * the store writes as they are; any other event keeps its tree. {@link #tree()} gives the AWS-shaped details of
 * either, built when someone reads them: building a tree for every event cost a fifth of the engine's CPU.
 */
public sealed interface EventDetails {

    /** The details object under its AWS field name, e.g. {@code {"stateEnteredEventDetails": {"name":..,"input":..}}}. */
    ObjectNode tree();

    /** Details of an event type no compact form covers, as a tree; {@link #tree()} returns that very node. */
    record Tree(ObjectNode node) implements EventDetails {
        @Override
        public ObjectNode tree() {
            return node;
        }
    }

    /** {@code {}}: LambdaFunctionStarted, ParallelStateStarted/Succeeded/Failed, MapStateSucceeded/Failed. */
    record None() implements EventDetails {
        @Override
        public ObjectNode tree() {
            return nodes().objectNode();
        }
    }

    /** The one {@link None}. */
    None NONE = new None();

    /** A state entered, with its input as JSON text. */
    record StateEntered(String name, String input) implements EventDetails {
        @Override
        public ObjectNode tree() {
            ObjectNode details = nodes().objectNode();
            details.putObject("stateEnteredEventDetails").put("name", name).put("input", input)
                    .set("inputDetails", notTruncated());
            return details;
        }
    }

    /** A state exited with its output as JSON text (and no variables assigned: those events keep a tree). */
    record StateExited(String name, String output) implements EventDetails {
        @Override
        public ObjectNode tree() {
            ObjectNode details = nodes().objectNode();
            details.putObject("stateExitedEventDetails").put("name", name).put("output", output)
                    .set("outputDetails", notTruncated());
            return details;
        }
    }

    /** ExecutionStarted: the input as the execution got it, as JSON text; the role may be {@code null}. */
    record ExecutionStarted(String input, String roleArn) implements EventDetails {
        @Override
        public ObjectNode tree() {
            ObjectNode details = nodes().objectNode();
            ObjectNode d = details.putObject("executionStartedEventDetails").put("input", input);
            d.set("inputDetails", notTruncated());
            if (roleArn != null) {
                d.put("roleArn", roleArn);
            }
            return details;
        }
    }

    /** ExecutionSucceeded, with the output as JSON text. */
    record ExecutionSucceeded(String output) implements EventDetails {
        @Override
        public ObjectNode tree() {
            return outputOnly("executionSucceededEventDetails", output);
        }
    }

    /** LambdaFunctionScheduled: the function, the payload as JSON text, and the Task's timeout ({@code null}: none). */
    record LambdaScheduled(String resource, String input, Integer timeoutInSeconds) implements EventDetails {
        @Override
        public ObjectNode tree() {
            ObjectNode details = nodes().objectNode();
            ObjectNode d = details.putObject("lambdaFunctionScheduledEventDetails").put("resource", resource)
                    .put("input", input);
            d.set("inputDetails", notTruncated());
            if (timeoutInSeconds != null) {
                d.put("timeoutInSeconds", timeoutInSeconds);
            }
            return details;
        }
    }

    /** LambdaFunctionSucceeded, with the function's result as JSON text. */
    record LambdaSucceeded(String output) implements EventDetails {
        @Override
        public ObjectNode tree() {
            return outputOnly("lambdaFunctionSucceededEventDetails", output);
        }
    }

    /** MapStateStarted: how many items the inline Map runs. */
    record MapStarted(int length) implements EventDetails {
        @Override
        public ObjectNode tree() {
            ObjectNode details = nodes().objectNode();
            details.putObject("mapStateStartedEventDetails").put("length", length);
            return details;
        }
    }

    /** MapIterationStarted/Succeeded/Failed/Aborted of one item of an inline Map. */
    record MapIteration(Stage stage, String name, int index) implements EventDetails {

        /** Where the iteration is; each stage's details field in the order of the store's codes (append only). */
        public enum Stage {
            STARTED("mapIterationStartedEventDetails"), SUCCEEDED("mapIterationSucceededEventDetails"),
            FAILED("mapIterationFailedEventDetails"), ABORTED("mapIterationAbortedEventDetails");

            private final String field;

            Stage(String field) {
                this.field = field;
            }
        }

        @Override
        public ObjectNode tree() {
            ObjectNode details = nodes().objectNode();
            details.putObject(stage.field).put("name", name).put("index", index);
            return details;
        }
    }

    /** {@code {<field>: {output, outputDetails}}}: the details of an event that carries only an output. */
    private static ObjectNode outputOnly(String field, String output) {
        ObjectNode details = nodes().objectNode();
        details.putObject(field).put("output", output).set("outputDetails", notTruncated());
        return details;
    }

    private static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }

    /** A new {@code {"truncated": false}} for each tree: a reader may change the tree it was given. */
    private static ObjectNode notTruncated() {
        return nodes().objectNode().put("truncated", false);
    }
}
