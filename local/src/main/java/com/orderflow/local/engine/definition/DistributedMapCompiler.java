package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.PayloadTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compiles what a DISTRIBUTED Map adds to a Map (ProcessorConfig, ItemReader, ItemBatcher, ResultWriter, tolerated
 * failures), and refuses those fields on an inline Map, as AWS does.
 */
final class DistributedMapCompiler {

    static final String GET_OBJECT = "arn:aws:states:::s3:getObject";
    static final String LIST_OBJECTS = "arn:aws:states:::s3:listObjectsV2";
    static final String PUT_OBJECT = "arn:aws:states:::s3:putObject";
    private static final Set<String> DISTRIBUTED_ONLY = Set.of("ItemReader", "ItemBatcher", "ResultWriter",
            "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount",
            "ToleratedFailureCountPath");
    private static final Set<String> INPUT_TYPES = Set.of("JSON", "CSV");

    private final Diagnostics problems;
    private final DefinitionReader reader;

    DistributedMapCompiler(Diagnostics problems, DefinitionReader reader) {
        this.problems = problems;
        this.reader = reader;
    }

    /** The distributed part of a Map, or null for an inline one (whose distributed-only fields are reported). */
    State.Distributed distributed(Site state, Site processor, QueryLanguage language) {
        Site config = processor.field("ProcessorConfig");
        Site mode = config.field("Mode");
        if (!mode.isPresent() || mode.node().asText().equals("INLINE")) {
            for (String field : DISTRIBUTED_ONLY) {
                if (state.has(field)) {
                    problems.schema("The field '" + field + "' is only allowed in a DISTRIBUTED Map", state.field(field));
                }
            }
            return null;
        }
        if (!mode.node().asText().equals("DISTRIBUTED")) {
            problems.schema("The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]", mode);
            return null;
        }
        String executionType = config.field("ExecutionType").node().asText("");
        if (!executionType.equals("STANDARD") && !executionType.equals("EXPRESS")) {
            problems.schema("A DISTRIBUTED Map's ProcessorConfig needs 'ExecutionType': STANDARD or EXPRESS",
                    config.isPresent() ? config : processor);
            return null;
        }
        String label = state.has("Label") ? state.field("Label").node().asText() : state.name();
        var child = JsonText.NODES.objectNode();
        child.set("StartAt", processor.field("StartAt").node());
        child.set("States", processor.field("States").node());
        if (language == QueryLanguage.JSONATA) {
            child.put("QueryLanguage", "JSONata");
        }
        Double percentage = null;
        Site pct = state.field("ToleratedFailurePercentage");
        if (pct.isPresent()) {
            if (!pct.node().isNumber() || pct.node().asDouble() < 0 || pct.node().asDouble() > 100) {
                problems.schema("The value for the field 'ToleratedFailurePercentage' must be a number from 0 to 100", pct);
            } else {
                percentage = pct.node().asDouble();
            }
        }
        return new State.Distributed(executionType, label, JsonText.write(child), itemReader(state.field("ItemReader"), language),
                itemBatcher(state.field("ItemBatcher"), language), resultWriter(state.field("ResultWriter"), language),
                percentage, reader.referencePathIfPresent(state.field("ToleratedFailurePercentagePath")),
                reader.positiveInt(state.field("ToleratedFailureCount"), true),
                reader.referencePathIfPresent(state.field("ToleratedFailureCountPath")));
    }

    private State.ItemReader itemReader(Site site, QueryLanguage language) {
        if (!site.isPresent()) {
            return null;
        }
        String resource = site.field("Resource").node().asText("");
        if (!resource.equals(GET_OBJECT) && !resource.equals(LIST_OBJECTS)) {
            problems.schema("The ItemReader's Resource must be " + GET_OBJECT + " or " + LIST_OBJECTS
                    + " (the local S3); got '" + resource + "'", site.field("Resource"));
            return null;
        }
        Site config = site.field("ReaderConfig");
        String inputType = config.field("InputType").node().asText(resource.equals(GET_OBJECT) ? "JSON" : null);
        if (resource.equals(GET_OBJECT) && !INPUT_TYPES.contains(inputType)) {
            problems.schema("The ReaderConfig's InputType must be one of [JSON, CSV] for " + GET_OBJECT
                    + " here; got '" + inputType + "'", config.field("InputType"));
        }
        String headerLocation = config.field("CSVHeaderLocation").node().asText("FIRST_ROW");
        List<String> headers = new ArrayList<>();
        config.field("CSVHeaders").node().forEach(h -> headers.add(h.asText()));
        if ("CSV".equals(inputType) && headerLocation.equals("GIVEN") && headers.isEmpty()) {
            problems.schema("CSVHeaderLocation GIVEN needs CSVHeaders", config);
        }
        return new State.ItemReader(resource, parameters(site, language), inputType, headerLocation, List.copyOf(headers),
                reader.positiveInt(config.field("MaxItems"), true), reader.referencePathIfPresent(config.field("MaxItemsPath")));
    }

    private State.ItemBatcher itemBatcher(Site site, QueryLanguage language) {
        if (!site.isPresent()) {
            return null;
        }
        Integer max = reader.positiveInt(site.field("MaxItemsPerBatch"), false);
        AslPath maxPath = reader.referencePathIfPresent(site.field("MaxItemsPerBatchPath"));
        if (max == null && maxPath == null) {
            problems.schema("An ItemBatcher needs MaxItemsPerBatch or MaxItemsPerBatchPath here", site);
        }
        Site input = site.field("BatchInput");
        PayloadTemplate batchInput = language == QueryLanguage.JSONATA ? reader.jsonata(input) : reader.template(input);
        return new State.ItemBatcher(max, maxPath, batchInput);
    }

    private State.ResultWriter resultWriter(Site site, QueryLanguage language) {
        if (!site.isPresent()) {
            return null;
        }
        String resource = site.field("Resource").node().asText("");
        if (!resource.equals(PUT_OBJECT)) {
            problems.schema("The ResultWriter's Resource must be " + PUT_OBJECT + "; got '" + resource + "'",
                    site.field("Resource"));
            return null;
        }
        return new State.ResultWriter(parameters(site, language));
    }

    private PayloadTemplate parameters(Site site, QueryLanguage language) {
        return language == QueryLanguage.JSONATA ? reader.jsonata(site.field("Arguments"))
                : reader.template(site.field("Parameters"));
    }
}
