package com.orderflow.local.sfn;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps executions in memory for the life of the process. */
public final class InMemoryExecutionStore implements ExecutionStore {

    private static final Comparator<ExecutionRecord> NEWEST_FIRST = Comparator
            .comparing(ExecutionRecord::startDate).reversed()
            .thenComparing(ExecutionRecord::executionArn);

    private final ConcurrentHashMap<String, ExecutionRecord> byArn = new ConcurrentHashMap<>();

    @Override
    public ExecutionRecord putIfAbsent(ExecutionRecord execution) {
        return byArn.putIfAbsent(execution.executionArn(), execution);
    }

    @Override
    public Optional<ExecutionRecord> find(String executionArn) {
        return Optional.ofNullable(byArn.get(executionArn));
    }

    @Override
    public List<ExecutionRecord> list(String stateMachineArn) {
        return byArn.values().stream()
                .filter(e -> e.stateMachineArn().equals(stateMachineArn))
                .sorted(NEWEST_FIRST)
                .toList();
    }
}
