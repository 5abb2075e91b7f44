package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.DataFlow;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.JsonataTemplate;
import com.orderflow.local.engine.expr.PayloadTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Compiles the states that run graphs of their own: Parallel (its branches) and Map (its item processor). */
final class ParallelAndMapCompiler {

    private static final Set<String> BRANCH_FIELDS = Set.of("StartAt", "States", "Comment", "QueryLanguage");
    // an ItemProcessor cannot declare a QueryLanguage on AWS: its states inherit the definition's
    private static final Set<String> PROCESSOR_FIELDS = Set.of("StartAt", "States", "Comment", "ProcessorConfig");

    /** Compiles a graph that sits inside a state, which may have {@code allowedFields}; null when unusable. */
    @FunctionalInterface
    interface Graphs {
        State.Graph compile(Site graph, Set<String> allowedFields);
    }

    private final Diagnostics problems;
    private final DefinitionReader reader;
    private final RetryRulesCompiler retryRules;
    private final Graphs graphs;

    ParallelAndMapCompiler(Diagnostics problems, DefinitionReader reader, RetryRulesCompiler retryRules, Graphs graphs) {
        this.problems = problems;
        this.reader = reader;
        this.retryRules = retryRules;
        this.graphs = graphs;
    }

    State parallel(Site state, DataFlow io, String next, QueryLanguage language) {
        Site branches = state.field("Branches");
        if (!branches.isPresent()) {
            problems.schema("These fields are required: [Branches]", state);
            return null;
        }
        if (!branches.node().isArray() || branches.node().isEmpty()) {
            problems.schema("The field 'Branches' must be a non-empty ARRAY", branches);
            return null;
        }
        List<State.Graph> compiled = new ArrayList<>();
        for (Site branch : branches.elements()) {
            if (!branch.node().isObject()) {
                problems.schema("A branch must be an OBJECT", branch);
                continue;
            }
            compiled.add(graphs.compile(branch, BRANCH_FIELDS));
        }
        return new State.Parallel(state.name(), io, compiled, retryRules.retriers(state),
                retryRules.catchers(state, language), next);
    }

    State map(Site state, DataFlow io, String next, QueryLanguage language) {
        reader.atMostOneOf(state, "ItemProcessor", "Iterator");
        reader.atMostOneOf(state, "ItemSelector", "Parameters");
        // Iterator is the older name of ItemProcessor
        Site processor = state.has("ItemProcessor") ? state.field("ItemProcessor") : state.field("Iterator");
        if (!processor.isPresent()) {
            problems.schema("These fields are required: [ItemProcessor]", state);
            return null;
        }
        if (!processor.node().isObject()) {
            problems.schema("The value for the field '" + processor.name() + "' must be an OBJECT", processor);
            return null;
        }
        State.Distributed distributed = new DistributedMapCompiler(problems, reader).distributed(state, processor, language);
        State.Graph graph = graphs.compile(processor, PROCESSOR_FIELDS);
        boolean jsonata = language == QueryLanguage.JSONATA;
        Site items = state.field("ItemsPath");
        AslPath itemsPath = jsonata ? AslPath.ROOT : reader.optionalReferencePathOrVariable(items);
        if (itemsPath == null) {
            problems.schema("The value for the field 'ItemsPath' must be a valid ReferencePath", items);
        }
        JsonataTemplate jsonataItems = jsonata ? reader.jsonata(state.field("Items")) : null;
        PayloadTemplate selector = jsonata ? reader.jsonata(state.field("ItemSelector"))
                : reader.template(state.has("ItemSelector") ? state.field("ItemSelector") : state.field("Parameters"));
        // a JSONata Map's MaxConcurrency may be an expression, evaluated when the state runs
        Site maxConcurrencyField = state.field("MaxConcurrency");
        JsonataTemplate maxConcurrencyExpression = jsonata ? reader.jsonataIfExpression(maxConcurrencyField) : null;
        Integer maxConcurrency = maxConcurrencyExpression != null ? null : reader.positiveInt(maxConcurrencyField, true);
        AslPath maxConcurrencyPath = reader.referencePathIfPresent(state.field("MaxConcurrencyPath"));
        return new State.MapState(state.name(), io, graph, itemsPath, jsonataItems, selector,
                maxConcurrency == null ? 0 : maxConcurrency, maxConcurrencyPath, maxConcurrencyExpression,
                retryRules.retriers(state), retryRules.catchers(state, language), next, distributed);
    }
}
