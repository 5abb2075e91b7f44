package com.orderflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.zip.ZipFile;

/**
 * {@code mvn -Pbench}: every benchmark of the project, printed as one table — cold starts of the Lambda jar
 * unprimed and primed, the ASL engine's throughput, the local stack's over loopback, and the Step Functions
 * JSON API's beside the npm peer aws-local-stepfunctions — with the JDK, the JVM flags and the machine's load,
 * since the figures mean little without them.
 *
 * <p>System properties: {@code bench.runs} (launches per handler and variant, default 10), {@code bench.steady}
 * (steady-state requests per launch, 200), {@code bench.engine} (engine executions, 200000, after as many to warm up), {@code bench.store} (executions on the durable store, 100000), {@code bench.s3} (versions in the local S3 benchmark, 100000), {@code bench.filters} (orders
 * behind the {@code GET /orders} filters, 100000), {@code bench.orders}
 * (local-stack POSTs per storage mode; by default {@link LocalStackBenchmark.Settings#standard}), {@code bench.loadMinutes}
 * (the sustained-load section's persistent run, 1; its in-memory peer runs 1), {@code bench.sfnApi}
 * (Step Functions API executions, and the peer's, 50000, after as many to warm up), {@code bench.only} (a comma-separated subset of
 * {@link #SECTIONS}; e.g. {@code mvn -Pbench -pl bench -Dbench.only=sfn-api} runs the Step Functions API one alone).
 */
public final class Benchmarks {

    /** The sections {@code bench.only} picks from, in the order they run. */
    static final List<String> SECTIONS = List.of("cold-start", "engine", "jsonata", "store", "s3", "order-filters",
            "local-stack", "load", "sfn-api");

    /** The Step Functions API targets the project means to reach; printed, not asserted. */
    private static final double API_TARGET_PER_CPU_SECOND = 10_000;
    private static final double API_TARGET_PEER_RATIO = 3;
    /** JSONata's executions per CPU-second over JSONPath's on the same workflow: within 2× of it. */
    private static final double JSONATA_TARGET_RATIO = 0.5;

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Path root = LocalStackBenchmark.rootFrom(args);
        int runs = Integer.getInteger("bench.runs", 10);
        int steady = Integer.getInteger("bench.steady", 200);
        int engineExecutions = Integer.getInteger("bench.engine", 200_000);
        Integer orders = Integer.getInteger("bench.orders");
        int apiExecutions = Integer.getInteger("bench.sfnApi", 50_000);
        var only = sections(System.getProperty("bench.only"));
        long started = System.nanoTime();
        String loadBefore = loadAverage();

        ColdStartBenchmark coldStart = null;
        List<ColdStartBenchmark.Measured> measured = List.of();
        if (only.contains("cold-start")) {
            coldStart = new ColdStartBenchmark(root, runs, steady);
            try (var aws = new LoopbackAws(root)) {
                measured = coldStart.run(aws, Benchmarks::progress);
            }
        }
        String loadAfterColdStarts = loadAverage();
        EngineBenchmark.Figures engine = null;
        if (only.contains("engine")) {
            progress("engine: " + engineExecutions + " executions");
            engine = EngineBenchmark.run(engineExecutions);
        }
        DurableStoreBenchmark.Figures durable = null;
        EngineBenchmark.Figures jsonata = null;
        if (only.contains("jsonata")) {
            progress("engine, the same workflow in JSONata: " + engineExecutions + " executions");
            jsonata = EngineBenchmark.run(engineExecutions, EngineBenchmark.JSONATA_DEFINITION);
        }
        if (only.contains("store")) {
            int storeExecutions = Integer.getInteger("bench.store", 100_000);
            progress("engine on the durable store: " + storeExecutions + " executions, then reopen");
            durable = DurableStoreBenchmark.run(root, storeExecutions);
        }
        S3Benchmark.Figures s3 = null;
        if (only.contains("s3")) {
            int versions = Integer.getInteger("bench.s3", 100_000);
            progress("local S3: PutObject on an empty bucket and with " + versions + " versions stored, then a restart");
            s3 = S3Benchmark.run(root, versions);
        }
        OrderFiltersBenchmark.Figures filters = null;
        if (only.contains("order-filters")) {
            int filterOrders = Integer.getInteger("bench.filters", 100_000);
            progress("GET /orders filters: " + filterOrders + " orders through PersistOrder into the local S3, then each query");
            filters = OrderFiltersBenchmark.run(filterOrders);
        }
        var stacks = new ArrayList<LocalStackBenchmark.Figures>();
        for (boolean persistent : only.contains("local-stack") ? new boolean[] {false, true} : new boolean[0]) {
            var settings = orders == null ? LocalStackBenchmark.Settings.standard(persistent)
                    : new LocalStackBenchmark.Settings(orders, 16, java.time.Duration.ofSeconds(60), persistent);
            progress("local stack: " + settings.orders() + " orders, " + (persistent ? "persistent" : "in memory"));
            stacks.add(LocalStackBenchmark.run(root, settings));
        }
        SustainedLoad.Result load = null;
        SustainedLoad.Result loadInMemory = null;
        if (only.contains("load")) {
            int minutes = LoadTest.intProperty("bench.loadMinutes", 1);
            progress("sustained load: 16 clients, " + minutes + " min persistent at the offered rate and 1 min closed loop, then"
                    + " the closed-loop minute in memory (mvn -Pload runs 10 min)");
            var standard = SustainedLoad.Settings.standard(minutes, false);
            load = SustainedLoad.run(root, standard, System.err);
            loadInMemory = SustainedLoad.run(root, standard.inMemoryPeer(1), System.err);
        }
        SfnApiBenchmark.Figures api = null;
        NpmStepFunctionsPeer.Result peer = null;
        if (only.contains("sfn-api")) {
            progress("Step Functions API: " + apiExecutions + " executions through the local stack's JVM");
            api = SfnApiBenchmark.run(root, apiExecutions);
            progress("npm peer " + NpmStepFunctionsPeer.PACKAGE + " " + NpmStepFunctionsPeer.VERSION + ": " + apiExecutions + " executions");
            peer = NpmStepFunctionsPeer.run(root, EngineBenchmark.DEFINITION, apiExecutions, api.warmUp(), SfnApiBenchmark.CLIENTS);
        }

        var out = new StringBuilder();
        line(out, "");
        line(out, "orderflow benchmarks (%s)", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        line(out, "JDK %s (%s), %d cores; load average before %s, after cold starts %s, at end %s",
                System.getProperty("java.vm.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfterColdStarts, loadAverage());
        if (!only.equals(java.util.Set.copyOf(SECTIONS))) {
            line(out, "sections: %s (bench.only)", String.join(", ", only));
        }
        if (only.contains("cold-start")) {
            printColdStarts(out, coldStart, measured, runs, steady);
        }
        line(out, "");
        line(out, "| engine / local stack / Step Functions API | figure |");
        line(out, "|---|---|");
        if (engine != null) {
            line(out, "| ASL engine, 7-state workflow (Pass, Parallel of 2, Pass, Pass, Succeed) | %,.0f executions per CPU-second,"
                    + " %,.0f per wall-second (%,d executions) |", engine.perCpuSecond(), engine.perWallSecond(), engine.executions());
        }
        if (jsonata != null) {
            line(out, "| ASL engine, the same workflow in JSONata (every state's Output an expression) | %,.0f executions per"
                    + " CPU-second, %,.0f per wall-second (%,d executions)%s |", jsonata.perCpuSecond(), jsonata.perWallSecond(),
                    jsonata.executions(), engine == null ? "" : String.format(", %.2f× the JSONPath figure per CPU-second"
                            + " (issue 15's target: at least %.2f×, within 2× of JSONPath)",
                            jsonata.perCpuSecond() / engine.perCpuSecond(), JSONATA_TARGET_RATIO));
        }
        if (durable != null) {
            line(out, "| ASL engine in process on the durable store (one log, group commit), same workflow | %,.0f executions per"
                    + " CPU-second, %,.0f per wall-second (%,d executions, %,d MiB of log) |", durable.perCpuSecond(),
                    durable.perWallSecond(), durable.executions(), durable.storeBytes() >> 20);
            line(out, "| opening that store: %,d finished executions | %,d ms |", durable.found(), durable.reopenMillis());
        }
        if (s3 != null) {
            line(out, "| local S3 (persistent), PutObject of 1 KB to a new key, SDK over loopback, one at a time | empty bucket:"
                    + " p50 %.2f ms, p99 %.2f ms; with %,d versions stored: p50 %.2f ms, p99 %.2f ms |", s3.emptyP50(),
                    s3.emptyP99(), s3.versions(), s3.fullP50(), s3.fullP99());
            line(out, "| local S3 start (store opened, port bound) with %,d versions, %,d MiB on disk | %,d ms |",
                    s3.versions(), s3.diskBytes() >> 20, s3.startMillis());
        }
        if (filters != null) {
            printOrderFilters(out, filters);
        }
        for (var s : stacks) {
            line(out, "| local stack, %s: POST /orders over loopback, 16 clients | %.0f orders accepted/s (%d accepted, %d refused);"
                            + " POST p50 %.1f ms, p99 %.1f ms; POST → final status p50 %.0f ms, p99 %.0f ms; %s |",
                    s.mode(), s.acceptedPerSecond(), s.accepted(), s.refused(), s.postP50Millis(), s.postP99Millis(),
                    s.finalP50Millis(), s.finalP99Millis(), s.finalStatuses());
        }
        if (load != null) {
            for (var r : List.of(load, loadInMemory)) {
                line(out, "| local stack under sustained load, %s: %s |", r.settings().mode(), LoadVerdict.summary(r));
            }
            line(out, "| sustained-load targets (issue 17; mvn -Pload for the 10-minute run) | %s |", LoadVerdict.line(load, loadInMemory));
        }
        if (api != null) {
            printStepFunctionsApi(out, api, peer);
        }
        line(out, "");
        line(out, "benchmarks took %.0f s", (System.nanoTime() - started) / 1e9);
        System.out.print(out);
        System.out.flush();
    }

    private static void printColdStarts(StringBuilder out, ColdStartBenchmark coldStart, List<ColdStartBenchmark.Measured> measured,
                                        int runs, int steady) throws IOException {
        line(out, "cold-start JVMs: java %s -cp orderflow-lambda.jar:<bench classes>; %d launches per handler and variant,"
                + " unprimed and primed interleaved; %d steady-state requests per launch", String.join(" ", ColdStartBenchmark.JVM_FLAGS), runs, steady);
        line(out, "Lambda jar: %s", jarSummary(coldStart.lambdaJar()));
        line(out, "");
        line(out, "| handler | JVM start → handler constructed | priming (beforeCheckpoint) | first request unprimed"
                + " | first request primed | … its thread CPU | first AWS call unprimed | first AWS call primed | … its thread CPU"
                + " | steady state per request | responses |");
        line(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        for (var m : measured) {
            var all = new ArrayList<>(m.unprimed());
            all.addAll(m.primed());
            var responses = new LinkedHashSet<String>();
            all.forEach(r -> {
                if (!r.firstResult().equals("-")) {
                    responses.add(r.firstResult());
                }
                if (!r.callResult().equals("-")) {
                    responses.add(r.callResult());
                }
            });
            line(out, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", m.subject().name(),
                    median(all, ColdStartBenchmark.Run::launchToConstructed),
                    median(m.primed(), ColdStartBenchmark.Run::priming),
                    median(m.unprimed(), ColdStartBenchmark.Run::first), median(m.primed(), ColdStartBenchmark.Run::first),
                    median(m.primed(), ColdStartBenchmark.Run::firstCpu),
                    median(m.unprimed(), ColdStartBenchmark.Run::call), median(m.primed(), ColdStartBenchmark.Run::call),
                    median(m.primed(), ColdStartBenchmark.Run::callCpu),
                    median(all, ColdStartBenchmark.Run::steadyMedian), String.join(", ", responses));
        }
        line(out, "(medians in ms over the launches; a request is the runtime's JSON mapping in and out plus the handler;"
                + " \"first request\" touches no AWS API; the Api row's first request is an invalid POST answered 400,"
                + " its AWS call a GET of a stored order (one S3 GetObject); thread CPU excludes waiting for a core"
                + " and for the endpoint; primed = beforeCheckpoint and afterRestore called in the same JVM, no snapshot)");
    }

    private static void printOrderFilters(StringBuilder out, OrderFiltersBenchmark.Figures f) {
        for (var q : f.queries()) {
            line(out, "| GET /orders?%s over %,d orders: %s (API handler in process, local S3 over loopback) | p50 %.1f ms,"
                    + " p99 %.1f ms; %.0f S3 requests a page; %d orders on it |", q.query().replaceAll("nextToken=[^&]+", "nextToken=…"),
                    f.orders(), q.label(), q.p50(), q.p99(), q.s3PerPage(), q.ordersOnPage());
        }
        line(out, "| filtering without the index: list and read all %,d records (8 at a time) | %.1f s, %,d S3 requests,"
                + " for every page (the bucket: %,d object versions, written by PersistOrder in %.0f s) |", f.orders(),
                f.scanSeconds(), f.scanRequests(), f.objects(), f.fillSeconds());
    }

    private static void printStepFunctionsApi(StringBuilder out, SfnApiBenchmark.Figures api, NpmStepFunctionsPeer.Result peer) {
        line(out, "| Step Functions JSON API over loopback, same 7-state workflow: local stack JVM (persistent), %d client threads"
                        + " calling StartExecution, then ListExecutions until none is RUNNING | %,.0f executions per CPU-second of the"
                        + " stack JVM, %,.0f per wall-second (%,d executions after %,d warm-up; %.2f CPU-s of which %.2f system,"
                        + " %.2f s; all %s; %,d throttled starts sent again) |",
                SfnApiBenchmark.CLIENTS, api.perCpuSecond(), api.perWallSecond(), api.executions(), api.warmUp(),
                api.stackCpuSeconds(), api.stackSystemSeconds(), api.wallSeconds(), api.statuses(), api.throttled());
        String peerName = "npm " + NpmStepFunctionsPeer.PACKAGE + " " + NpmStepFunctionsPeer.VERSION;
        String vsPeer = switch (peer) {
            case NpmStepFunctionsPeer.Measured p -> {
                line(out, "| %s in one Node process (%s; the package asks for node %s), same workflow, %d async loops of run(input) on one StateMachine, no HTTP"
                                + " | %,.0f executions per CPU-second of the node process, %,.0f per wall-second (%,d executions after"
                                + " the same warm-up; %.2f CPU-s, %.2f s); a new StateMachine per execution would add %.0f ms CPU each"
                                + " (its definition validation) |", peerName, p.node(), p.nodeEngines(), SfnApiBenchmark.CLIENTS, p.perCpuSecond(),
                        p.perWallSecond(), p.executions(), p.cpuSeconds(), p.wallSeconds(), p.constructCpuMillis());
                double ratio = api.perCpuSecond() / p.perCpuSecond();
                yield String.format(Locale.ROOT, "%.2f× per CPU-second (%.2f× per wall-second)", ratio,
                        api.perWallSecond() / p.perWallSecond())
                        + "; target ≥" + String.format(Locale.ROOT, "%.0f×", API_TARGET_PEER_RATIO)
                        + (ratio >= API_TARGET_PEER_RATIO ? " met" : " not yet met");
            }
            case NpmStepFunctionsPeer.Skipped s -> {
                line(out, "| %s | skipped: %s |", peerName, s.why());
                yield "no ratio (peer skipped)";
            }
        };
        line(out, "| Step Functions API ÷ npm peer | %s; target ≥%,.0f executions per CPU-second through the API %s |", vsPeer,
                API_TARGET_PER_CPU_SECOND, api.perCpuSecond() >= API_TARGET_PER_CPU_SECOND ? "met" : "not yet met");
    }

    private static java.util.Set<String> sections(String only) {
        if (only == null || only.isBlank()) {
            return new LinkedHashSet<>(SECTIONS);
        }
        var chosen = new LinkedHashSet<String>();
        for (String name : only.split(",")) {
            if (!SECTIONS.contains(name.trim())) {
                throw new IllegalArgumentException("bench.only: unknown section '" + name.trim() + "'; choose from " + SECTIONS);
            }
            chosen.add(name.trim());
        }
        return chosen;
    }

    private static String jarSummary(Path jar) throws IOException {
        var unwanted = List.of("io/netty/", "org/apache/http/", "software/amazon/awssdk/http/apache/",
                "software/amazon/awssdk/http/nio/", "software/amazon/awssdk/crt/", "com/orderflow/local/", "com/orderflow/bench/");
        int entries;
        var found = new LinkedHashSet<String>();
        try (var zip = new ZipFile(jar.toFile())) {
            entries = zip.size();
            zip.stream().forEach(e -> unwanted.stream().filter(e.getName()::startsWith).forEach(found::add));
        }
        long bytes = Files.size(jar);
        return String.format(Locale.ROOT, "%,d bytes (%.1f MB, %.1f MiB), %,d entries; %s", bytes, bytes / 1e6, bytes / 1048576.0,
                entries, found.isEmpty() ? "no Netty, Apache HTTP client, CRT, local-stack or bench classes" : "CONTAINS " + found);
    }

    private static String median(List<ColdStartBenchmark.Run> runs, ToDoubleFunction<ColdStartBenchmark.Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).filter(v -> v >= 0).sorted().toArray();
        if (values.length == 0) {
            return "—";
        }
        double median = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        return median >= 100 ? String.format(Locale.ROOT, "%.0f", median) : String.format(Locale.ROOT, "%.2f", median);
    }

    private static String loadAverage() {
        try {
            var fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return String.join(" ", Arrays.copyOf(fields, 3));
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
