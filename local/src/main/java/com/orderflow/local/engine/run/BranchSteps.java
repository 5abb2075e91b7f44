package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.EventDetails.MapIteration.Stage;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.DataFlow;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.PathDataFlow;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Parallel and Map states: their branches and iterations on the state's own thread and virtual threads, joined in order. */
final class BranchSteps {

    private final ExecutionRun run;
    private final DistributedMapStep distributed;

    BranchSteps(ExecutionRun run) {
        this.run = run;
        this.distributed = new DistributedMapStep(run);
    }


    Step parallel(State.Parallel p, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = p.io().arguments(p.io().effectiveInput(raw, scope), scope);
        long started = run.record("ParallelStateStarted", cursor.last, EventDetails.NONE);
        cursor.last = started;
        int n = p.branches().size();
        JsonNode[] results = new JsonNode[n];
        Cursor[] cursors = new Cursor[n];
        Runnable[] work = new Runnable[n];
        // Branches start together on AWS: each enters its first state before a sibling's failure stops it.
        var allEntered = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            cursors[i] = new Cursor(started, new Variables(cursor.variables));
            cursors[i].firstEntry = allEntered;
            work[i] = () -> {
                try {
                    results[index] = run.walk.runGraph(p.branches().get(index), effective, cursors[index]);
                } finally {
                    if (cursors[index].firstEntry != null) {
                        cursors[index].firstEntry = null;
                        allEntered.countDown();
                    }
                }
            };
        }
        StateFailure failure = runConcurrently(work, n, null, null, allEntered);
        return joined(failure, "ParallelStateFailed", "ParallelStateSucceeded", p, p.io(), p.next(), results, cursors, raw, scope, cursor);
    }

    Step map(State.MapState m, JsonNode raw, StateScope scope, Cursor cursor) {
        if (m.distributed() != null) {
            return distributed.map(m, raw, scope, cursor);
        }
        JsonNode effective = m.io().effectiveInput(raw, scope);
        ArrayNode array = items(m, effective, scope);
        int maxConcurrency = maxConcurrency(m, effective, scope);
        int n = array.size();
        JsonNode[] itemInputs = new JsonNode[n];
        for (int i = 0; i < n; i++) {
            itemInputs[i] = m.itemSelector() == null ? array.get(i)
                    : m.itemSelector().evaluate(scope.onItem(effective, i, array.get(i)));
        }
        long started = run.record("MapStateStarted", cursor.last, new EventDetails.MapStarted(n));
        cursor.last = started;
        JsonNode[] results = new JsonNode[n];
        Cursor[] cursors = new Cursor[n];
        Runnable[] work = new Runnable[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            cursors[i] = new Cursor(started, new Variables(cursor.variables));
            work[i] = () -> {
                Cursor c = cursors[index];
                c.last = run.record("MapIterationStarted", c.last, new EventDetails.MapIteration(Stage.STARTED, m.name(), index));
                try {
                    results[index] = run.walk.runGraph(m.processor(), itemInputs[index], c);
                } catch (StateFailure f) {
                    c.last = run.record("MapIterationFailed", c.last, new EventDetails.MapIteration(Stage.FAILED, m.name(), index));
                    throw f;
                }
                c.last = run.record("MapIterationSucceeded", c.last, new EventDetails.MapIteration(
                        Stage.SUCCEEDED, m.name(), index));
            };
        }
        StateFailure failure = runConcurrently(work, maxConcurrency == 0 ? n : maxConcurrency, m.name(), cursors, null);
        return joined(failure, "MapStateFailed", "MapStateSucceeded", m, m.io(), m.next(), results, cursors, raw, scope, cursor);
    }

    /** A Map's items: its JSONata Items, or what its ItemsPath selects, which must be an array. */
    static ArrayNode items(State.MapState m, JsonNode effective, StateScope scope) {
        JsonNode items = m.items() != null ? m.items().evaluate(scope)
                : m.itemsPath().variable() != null ? m.itemsPath().readIn(scope) : PathDataFlow.select(m.itemsPath(), effective);
        if (!(items instanceof ArrayNode array)) {
            if (m.items() != null) {
                throw m.items().unexpectedType("Items", "array", items);
            }
            throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + m.itemsPath().text()
                    + "' : The ItemsPath field does not reference a JSON array.");
        }
        return array;
    }

    /** A Map's MaxConcurrency from its literal, its MaxConcurrencyPath or its JSONata expression (0: no limit). */
    static int maxConcurrency(State.MapState m, JsonNode effective, StateScope scope) {
        int maxConcurrency = m.maxConcurrency();
        if (m.maxConcurrencyPath() != null) {
            JsonNode v = m.maxConcurrencyPath().read(effective);
            if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
                throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + m.maxConcurrencyPath().text()
                        + "' : The MaxConcurrencyPath parameter does not reference a valid non-negative integer.");
            }
            maxConcurrency = v.asInt();
        }
        if (m.maxConcurrencyExpression() != null) {
            JsonNode v = m.maxConcurrencyExpression().evaluate(scope);
            if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
                throw m.maxConcurrencyExpression().unexpectedType("MaxConcurrency", "integer", v);
            }
            maxConcurrency = v.asInt();
        }
        return maxConcurrency;
    }

    /**
     * After the branches or iterations: the state's cursor goes on from the last event of any of them, then the
     * state fails with the first failure or succeeds with their results in order.
     */
    private Step joined(StateFailure failure, String failedType, String succeededType, State state, DataFlow io,
                        String next, JsonNode[] results, Cursor[] cursors, JsonNode raw, StateScope scope, Cursor cursor) {
        for (Cursor c : cursors) {
            cursor.last = Math.max(cursor.last, c.last);
        }
        if (failure != null) {
            cursor.last = run.record(failedType, cursor.last, EventDetails.NONE);
            throw failure;
        }
        ArrayNode output = JsonText.NODES.arrayNode(results.length);
        for (JsonNode r : results) {
            output.add(r);
        }
        cursor.last = run.record(succeededType, cursor.last, EventDetails.NONE);
        return run.walk.exit(state, cursor, StateIo.applyResult(io, raw, output, scope, cursor), next);
    }

    /**
     * Runs the units at most {@code limit} at a time and started in index order (MaxConcurrency 1 processes items
     * in array order): one worker is the calling thread itself, the others are virtual threads. The first failure
     * stops the others, as a failed branch or iteration stops its siblings, and is returned.
     */
    private StateFailure runConcurrently(Runnable[] work, int limit, String mapName, Cursor[] mapCursors,
                                         CountDownLatch startedTogether) {
        int n = work.length;
        if (n == 0) {
            return null;
        }
        var firstFailure = new AtomicReference<StateFailure>();
        var nextIndex = new AtomicInteger();
        boolean[] settled = new boolean[n];
        Thread[] workers = new Thread[Math.min(Math.max(limit, 1), n)];
        Runnable worker = () -> {
            Thread self = Thread.currentThread();
            run.attach(self);
            try {
                int index;
                while (firstFailure.get() == null && !self.isInterrupted()
                        && (index = nextIndex.getAndIncrement()) < n) {
                    try {
                        work[index].run();
                        settled[index] = true;
                    } catch (StateFailure f) {
                        settled[index] = true;
                        if (startedTogether != null) {
                            try {
                                run.flush();
                                startedTogether.await();
                            } catch (InterruptedException e) {
                                self.interrupt();
                            }
                        }
                        if (firstFailure.compareAndSet(null, f)) {
                            for (Thread other : workers) {
                                if (other != self) {
                                    other.interrupt();
                                }
                            }
                        }
                    }
                }
            } catch (Stopped e) {
                // stopped by a sibling's failure or by StopExecution
            } catch (RuntimeException e) {
                firstFailure.compareAndSet(null, new StateFailure(StateFailure.RUNTIME, e.toString()));
            } finally {
                try {
                    run.flush(); // a branch that ends leaves nothing unrecorded behind a sibling's long wait
                } finally {
                    run.detach(self);
                }
            }
        };
        int last = workers.length - 1;
        for (int w = 0; w < last; w++) {
            workers[w] = ThreadsOfControl.FACTORY.newThread(worker);
        }
        workers[last] = Thread.currentThread();
        for (int w = 0; w < last; w++) {
            workers[w].start();
        }
        worker.run();
        run.flush();
        for (int w = 0; w < last; w++) {
            awaitWorker(workers, w, firstFailure);
        }
        if (firstFailure.get() != null) {
            Thread.interrupted(); // a sibling's failure stopped this thread's own unit; the state goes on to fail
        }
        StateFailure failure = firstFailure.get();
        if (failure != null && mapName != null && !run.ended) {
            for (int i = 0; i < n; i++) {
                if (!settled[i] && mapCursors[i].last != mapCursors[i].origin) {
                    try {
                        mapCursors[i].last = run.record("MapIterationAborted", mapCursors[i].last,
                                new EventDetails.MapIteration(Stage.ABORTED, mapName, i));
                    } catch (Stopped s) {
                        break;
                    }
                }
            }
        }
        run.alive();
        return failure;
    }

    /**
     * Joins one worker. An interrupt while joining stops the execution, unless it is a sibling's failure reaching
     * this thread as one of the workers: then it keeps waiting, since the state ends only when all have.
     */
    private void awaitWorker(Thread[] workers, int w, AtomicReference<StateFailure> firstFailure) {
        while (true) {
            try {
                workers[w].join();
                return;
            } catch (InterruptedException e) {
                if (firstFailure.get() == null || run.ended) {
                    for (Thread other : workers) {
                        if (other != Thread.currentThread()) {
                            other.interrupt();
                        }
                    }
                    throw Stopped.INSTANCE;
                }
            }
        }
    }
}
