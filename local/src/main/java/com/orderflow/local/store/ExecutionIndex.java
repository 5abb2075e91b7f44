package com.orderflow.local.store;

import com.orderflow.local.engine.ExecutionStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The executions the store knows, by ARN and per state machine in start order: what StartExecution claims,
 * DescribeExecution finds and ListExecutions pages through. It holds no history; that is in the log.
 */
final class ExecutionIndex {

    private final AtomicLong nextKey = new AtomicLong(1);
    private final ConcurrentHashMap<String, StoredExecution> byArn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, StoredExecution>> byMachine =
            new ConcurrentHashMap<>();

    /** The key for the next execution: keys grow with start order, across restarts. */
    long nextKey() {
        return nextKey.getAndIncrement();
    }

    /** Puts {@code created} under its ARN unless one holds it already; returns that one, or {@code null}. */
    StoredExecution putIfAbsent(StoredExecution created) {
        return byArn.putIfAbsent(created.executionArn(), created);
    }

    /** Gives an ARN back after its execution could not be started (nothing of it is durable). */
    void release(StoredExecution execution) {
        if (!execution.visible()) {
            byArn.remove(execution.executionArn(), execution);
        }
    }

    Optional<StoredExecution> find(String executionArn) {
        return Optional.ofNullable(byArn.get(executionArn)).filter(StoredExecution::visible);
    }

    /** The executions of one state machine, newest first. */
    List<StoredExecution> list(String stateMachineArn) {
        var executions = byMachine.get(stateMachineArn);
        return executions == null ? List.of() : List.copyOf(executions.descendingMap().values());
    }

    /** A page of one state machine's executions; see {@link WorkflowStore#list(String, Predicate, Long, int)}. */
    List<StoredExecution> list(String stateMachineArn, Predicate<StoredExecution> matches, Long after, int limit) {
        var executions = byMachine.get(stateMachineArn);
        if (executions == null) {
            return List.of();
        }
        var newestFirst = after == null ? executions.descendingMap() : executions.headMap(after, false).descendingMap();
        var page = new ArrayList<StoredExecution>(Math.min(limit, 1024));
        for (StoredExecution e : newestFirst.values()) {
            if (page.size() == limit) {
                break;
            }
            if (matches.test(e)) {
                page.add(e);
            }
        }
        return page;
    }

    /** The visible executions that are RUNNING, oldest first. */
    List<StoredExecution> unfinished() {
        return byArn.values().stream()
                .filter(e -> e.visible() && e.status() == ExecutionStatus.RUNNING)
                .sorted(Comparator.comparingLong(StoredExecution::key))
                .toList();
    }

    int size() {
        return byArn.size();
    }

    /** Every execution held, claimed or visible. */
    Collection<StoredExecution> all() {
        return byArn.values();
    }

    /** Lists an execution under its state machine once its first event is durable. */
    void visible(StoredExecution execution) {
        byMachine.computeIfAbsent(execution.stateMachineArn(), k -> new ConcurrentSkipListMap<>())
                .put(execution.key(), execution);
    }

    /** Takes an execution read back at open: it is visible at once. */
    void restored(StoredExecution execution) {
        byArn.put(execution.executionArn(), execution);
        visible(execution);
    }

    /** Continues the keys after the largest one read back at open. */
    void keysAfter(long maxKey) {
        nextKey.set(maxKey + 1);
    }

    /** Forgets an execution whose records retention deleted. */
    void remove(StoredExecution execution) {
        byArn.remove(execution.executionArn(), execution);
        var list = byMachine.get(execution.stateMachineArn());
        if (list != null) {
            list.remove(execution.key());
        }
    }
}
