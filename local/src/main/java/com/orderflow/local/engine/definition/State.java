package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.DataFlow;
import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.JsonataTemplate;
import com.orderflow.local.engine.expr.PayloadTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A compiled state of a definition; one record per ASL state type. */
public sealed interface State permits State.Pass, State.Task, State.Choice, State.Wait, State.Succeed, State.Fail,
        State.Parallel, State.MapState {

    String name();

    /** The AWS history-event prefix for the type, e.g. {@code Task} in {@code TaskStateEntered}. */
    String eventPrefix();

    /** A state graph: the top level, a Parallel branch or a Map item processor. */
    record Graph(String startAt, Map<String, State> states) {
    }

    record Retrier(List<String> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate,
                   Double maxDelaySeconds, boolean fullJitter) {
    }

    /** A Catcher; {@code output} is a JSONata catcher's Output, null in JSONPath (and when absent). */
    record Catcher(List<String> errorEquals, AslPath resultPath, String next, PayloadTemplate assign,
                   PayloadTemplate output) {
    }

    /**
     * A number of seconds given as a literal, a JSONPath reference path or a JSONata expression; all null when the
     * state has none.
     */
    record Seconds(Integer fixed, AslPath path, JsonataTemplate expression) {
        static final Seconds NONE = new Seconds(null, null, null);
    }

    record Pass(String name, DataFlow io, com.fasterxml.jackson.databind.JsonNode result, String next)
            implements State {
        public String eventPrefix() {
            return "Pass";
        }
    }

    record Task(String name, DataFlow io, String resource, Seconds timeout, Seconds heartbeat, List<Retrier> retry,
                List<Catcher> catchers, String next) implements State {
        public String eventPrefix() {
            return "Task";
        }
    }

    record Choice(String name, DataFlow io, List<ChoiceRule.Branch> choices, String defaultNext) implements State {
        public String eventPrefix() {
            return "Choice";
        }
    }

    /** A Wait; a JSONata Wait's {@code Seconds} or {@code Timestamp} expression is {@code expression}. */
    record Wait(String name, DataFlow io, Long seconds, Instant timestamp, AslPath secondsPath,
                AslPath timestampPath, JsonataTemplate expression, boolean expressionIsSeconds, String next)
            implements State {
        public String eventPrefix() {
            return "Wait";
        }
    }

    record Succeed(String name, DataFlow io) implements State {
        public String eventPrefix() {
            return "Succeed";
        }
    }

    record Fail(String name, String error, String cause, PayloadTemplate errorPath, PayloadTemplate causePath) implements State {
        public String eventPrefix() {
            return "Fail";
        }
    }

    record Parallel(String name, DataFlow io, List<Graph> branches, List<Retrier> retry, List<Catcher> catchers,
                    String next) implements State {
        public String eventPrefix() {
            return "Parallel";
        }
    }

    /**
     * A Map; {@code items} is a JSONata Map's Items (null: its input), {@code itemsPath} JSONPath's; {@code distributed}
     * is null for an inline Map.
     */
    record MapState(String name, DataFlow io, Graph processor, AslPath itemsPath, JsonataTemplate items,
                    PayloadTemplate itemSelector,
                    int maxConcurrency, AslPath maxConcurrencyPath, JsonataTemplate maxConcurrencyExpression,
                    List<Retrier> retry, List<Catcher> catchers, String next, Distributed distributed) implements State {
        public String eventPrefix() {
            return "Map";
        }
    }

    /**
     * What a DISTRIBUTED Map adds: its children's definition (the item processor as a state machine of its own), how
     * it reads, batches and writes items, and how many failed items it tolerates. Templates are null when absent.
     */
    record Distributed(String executionType, String label, String childDefinition, ItemReader reader,
                       ItemBatcher batcher, ResultWriter writer, Double toleratedFailurePercentage,
                       AslPath toleratedFailurePercentagePath, Integer toleratedFailureCount,
                       AslPath toleratedFailureCountPath) {
    }

    /** An ItemReader: the S3 action ({@code getObject} or {@code listObjectsV2}), its parameters and reader config. */
    record ItemReader(String resource, PayloadTemplate parameters, String inputType, String csvHeaderLocation,
                      List<String> csvHeaders, Integer maxItems, AslPath maxItemsPath) {
    }

    record ItemBatcher(Integer maxItemsPerBatch, AslPath maxItemsPerBatchPath, PayloadTemplate batchInput) {
    }

    record ResultWriter(PayloadTemplate parameters) {
    }
}
