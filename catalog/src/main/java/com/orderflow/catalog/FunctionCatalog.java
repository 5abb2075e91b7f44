package com.orderflow.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Every Lambda function of orderflow, read from {@code functions.json} beside this class: the one list that the CDK
 * app deploys, the local stack runs and the benchmarks time. Adding a function is an entry there plus its handler.
 */
public final class FunctionCatalog {

    private static final String RESOURCE = "functions.json";
    private static final List<FunctionEntry> FUNCTIONS = load();

    private FunctionCatalog() {
    }

    /** Every function, in the file's order. */
    public static List<FunctionEntry> all() {
        return FUNCTIONS;
    }

    /** The functions the workflow calls. */
    public static List<FunctionEntry> workflowTasks() {
        return FUNCTIONS.stream().filter(FunctionEntry::isWorkflowTask).toList();
    }

    /** The function named {@code name}; a name the catalog lacks is a programming error. */
    public static FunctionEntry named(String name) {
        return FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No function " + name + " in " + RESOURCE));
    }

    private record File(List<FunctionEntry> functions) {
    }

    private static List<FunctionEntry> load() {
        var mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = FunctionCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + FunctionCatalog.class.getName());
            }
            var functions = List.copyOf(mapper.readValue(in, File.class).functions());
            var names = new HashSet<String>();
            var placeholders = new HashSet<String>();
            for (var function : functions) {
                if (!names.add(function.name())) {
                    throw new IllegalStateException(RESOURCE + " lists " + function.name() + " twice");
                }
                if (function.isWorkflowTask() && !placeholders.add(function.aslPlaceholder())) {
                    throw new IllegalStateException(RESOURCE + " gives placeholder " + function.aslPlaceholder() + " twice");
                }
            }
            return functions;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
