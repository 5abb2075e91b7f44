package com.orderflow.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.orderflow.api.ApiConfig;
import com.orderflow.api.ApiHandler;
import com.orderflow.api.orders.OrderSubmission;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.local.apigw.ApiGatewayServer;
import com.orderflow.local.apigw.RouteTemplates;
import com.orderflow.local.apigw.Served;
import com.orderflow.local.console.Console;
import com.orderflow.local.console.ExecutionEnd;
import com.orderflow.local.console.GatheringOutput;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.integrations.AwsSdkS3Tasks;
import com.orderflow.local.integrations.LocalS3Objects;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import com.orderflow.local.lambda.OrderflowFunctions;
import com.orderflow.local.http.BlockingHttpServer;
import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.s3.OrdersBucket;
import com.orderflow.local.sfn.DefinitionTemplate;
import com.orderflow.local.sfn.MockConfig;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import com.orderflow.local.sfn.StepFunctionsConfig;
import com.orderflow.local.sfn.StepFunctionsException;
import com.orderflow.local.sfn.StepFunctionsServer;
import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import com.orderflow.local.ui.ExecutionViewHandler;
import com.orderflow.local.engine.ExecutionStatus;
import java.io.IOException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The whole orderflow stack in one JVM: the local S3 with the versioned orders bucket, the real Lambda
 * handlers in process, the local Step Functions endpoint running {@code statemachine/order-workflow.asl.json},
 * and the API Gateway front end calling the real {@code ApiHandler}. {@code mvn -Plocal} runs {@link #main}.
 */
public final class LocalStack implements AutoCloseable {

    public static final String STATE_MACHINE_NAME = "orderflow-local-order-workflow";
    public static final String ROLE_ARN = "arn:aws:iam::000000000000:role/orderflow-local-workflow";
    public static final String API_FUNCTION = OrderflowFunctions.functionName("api");
    public static final String EXECUTION_VIEW_PATH = "/ui";
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";
    private static final int PARTS = 4;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final LocalStackConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** The start-up steps, and what the user must see even when the console is quiet. */
    private final Consumer<String> progress;
    private final Consumer<String> warnings;
    /** A line per request and per execution end, and what the functions log. */
    private final Console console;
    private LocalS3Server s3;
    private S3Client s3Client;
    private WorkflowStore store;
    private long openMillis;
    private int retired;
    /** How long a closed execution is kept, as on AWS. */
    static final Duration RETENTION = Duration.ofDays(90);
    private StepFunctionsServer sfn;
    private ApiGatewayServer api;
    private String stateMachineArn;
    private volatile boolean closed;

    private LocalStack(LocalStackConfig config, Consumer<String> progress, Consumer<String> warnings, Console console) {
        this.config = config;
        this.progress = progress;
        this.warnings = warnings;
        this.console = console;
    }

    /**
     * Starts every part in order, reporting one progress line per part.
     *
     * @throws StartupException when a part cannot start (a busy port, no definition file, ...);
     *                          whatever had started is stopped again
     */
    public static LocalStack start(LocalStackConfig config, Consumer<String> progress) {
        return start(config, progress, System.out);
    }

    /**
     * Starts every part; start-up lines and warnings go to {@code progress}, the running lines (requests, execution
     * ends, what the functions log) to {@code functionLog} as the configuration's verbosity and format say.
     */
    public static LocalStack start(LocalStackConfig config, Consumer<String> progress, PrintStream functionLog) {
        return start(config, progress, progress, new Console(functionLog, config.verbosity(), config.logFormat(),
                Clock.systemDefaultZone()));
    }

    /** Starts every part, telling {@code console} everything: start-up, warnings, requests, execution ends. */
    public static LocalStack start(LocalStackConfig config, Console console) {
        return start(config, console::startup, console::warning, console);
    }

    private static LocalStack start(LocalStackConfig config, Consumer<String> progress, Consumer<String> warnings,
                                    Console console) {
        var stack = new LocalStack(config, progress, warnings, console);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        String definitionTemplate = readDefinition();
        Optional<MockConfig> mockConfig = config.mockConfig().map(LocalStack::readMockConfig);
        if (!config.loopbackOnly()) {
            progress.accept("WARNING: every port listens on " + config.bind().getHostAddress() + ", not only on this machine's"
                    + " loopback: anyone who can reach it can read, forge and delete orders (no credentials are checked).");
        }
        checkPortsFree();
        startS3();
        LocalLambdaInvoker invoker = startFunctions();
        startStepFunctions(invoker, definitionTemplate, mockConfig);
        startApi();
    }

    private String readDefinition() {
        try {
            return Files.readString(config.definitionFile());
        } catch (NoSuchFileException e) {
            throw new StartupException("Cannot find " + LocalStackConfig.DEFINITION_FILE + " under " + config.projectRoot()
                    + ". Run from the project directory or start with " + Setting.ROOT.howToSet("/path/to/orderflow") + ".");
        } catch (IOException e) {
            throw new StartupException("Cannot read " + config.definitionFile() + ": " + e.getMessage());
        }
    }

    /** Checks all ports before anything starts, so a clash costs nothing and names the right setting. */
    private void checkPortsFree() {
        var ports = new LinkedHashMap<Setting, Integer>();
        ports.put(Setting.S3_PORT, config.s3Port());
        ports.put(Setting.SFN_PORT, config.sfnPort());
        ports.put(Setting.API_PORT, config.apiPort());
        var seen = new HashMap<Integer, Setting>();
        ports.forEach((setting, port) -> {
            Setting other = port == 0 ? null : seen.putIfAbsent(port, setting);
            if (other != null) {
                throw new StartupException("Port " + port + " is configured for both the " + other.label() + " and the "
                        + setting.label() + ". Give one of them another port, e.g. "
                        + setting.howToSet(String.valueOf(port + 1)) + ".");
            }
        });
        ports.forEach((setting, port) -> {
            if (port == 0) {
                return;
            }
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(config.bind(), port));
            } catch (IOException e) {
                throw StartupException.portInUse(port, setting);
            }
        });
    }

    private void startS3() {
        Optional<Path> dir = config.inMemory() ? Optional.empty() : Optional.of(config.s3DataDir());
        long opening = System.nanoTime();
        try {
            s3 = LocalS3Server.start(config.bind(), config.s3Port(), dir, syncInterval());
        } catch (BindException e) {
            throw StartupException.portInUse(config.s3Port(), Setting.S3_PORT);
        } catch (IOException e) {
            throw new StartupException("Cannot start the local S3 on " + config.displayPath(config.s3DataDir()) + ": "
                    + e.getMessage(), e);
        }
        long openedMillis = (System.nanoTime() - opening) / 1_000_000;
        started.push(s3);
        s3Client = s3.newClient();
        started.push(s3Client);
        boolean created = OrdersBucket.ensure(s3Client, config.bucket());
        report(1, "S3", "ready on " + s3.endpoint() + " ("
                + (config.inMemory() ? "in memory"
                        : "persistent: " + config.displayPath(config.s3DataDir()) + ", "
                        + s3.versionCount() + " object versions in " + openedMillis + " ms")
                + ", bucket " + config.bucket() + (created ? " created" : "") + ", versioning on)");
        dir.ifPresent(this::noteEarlierS3Files);
    }

    /** LocalS3, which earlier versions ran, left its own files under the S3 directory; they are not read. */
    private void noteEarlierS3Files(Path dir) {
        try (var entries = Files.list(dir)) {
            long foreign = entries.filter(p -> !p.getFileName().toString().endsWith(".s3log")).count();
            if (foreign > 0) {
                progress.accept("      " + config.displayPath(dir) + " also holds " + plural((int) foreign, "entry")
                        + " that LocalS3 (used before this version) left; the local S3 does not read them: delete them to free the space");
            }
        } catch (IOException e) {
            // a note only
        }
    }

    /** How long an acknowledged write may wait for its fsync (zero: fsync before the acknowledgement). */
    private java.time.Duration syncInterval() {
        return config.syncEachWrite() ? java.time.Duration.ZERO : EventLog.Options.SYNC_INTERVAL;
    }

    private LocalLambdaInvoker startFunctions() {
        var invoker = OrderflowFunctions.register(LocalLambdaInvoker.builder().region(REGION).accountId(ACCOUNT)
                        .log(console::functionLog),
                s3Client, config.bucket()).build();
        report(2, "Lambda functions", invoker.functionNames().size() + " workflow handlers in process + "
                + API_FUNCTION + " (alias " + OrderflowFunctions.ALIAS + ")");
        return invoker;
    }

    private void startStepFunctions(LocalLambdaInvoker invoker, String definitionTemplate, Optional<MockConfig> mockConfig) {
        if (config.inMemory()) {
            store = WorkflowStore.inMemory();
        } else {
            long opening = System.nanoTime();
            try {
                store = WorkflowStore.open(config.storeDir(), storeOptions());
            } catch (IOException | RuntimeException e) {
                throw new StartupException("Cannot open the execution store " + config.storeDir() + ": " + e.getMessage(), e);
            }
            openMillis = (System.nanoTime() - opening) / 1_000_000;
            try {
                // as AWS keeps a closed execution for 90 days: whole old log segments go, nothing is rewritten
                retired = store.dropFinishedBefore(Instant.now().minus(RETENTION));
            } catch (IOException e) {
                progress.accept("      could not drop executions older than " + RETENTION.toDays() + " days: " + e.getMessage());
            }
        }
        started.push(store);
        var s3Objects = new LocalS3Objects(s3Client);
        var sfnConfig = StepFunctionsConfig.builder()
                .port(config.sfnPort())
                .bindAddress(config.bind())
                .maxOpenExecutions(config.maxOpenExecutions())
                .region(REGION)
                .accountId(ACCOUNT)
                .taskInvoker(new AwsSdkS3Tasks(invoker, s3Objects)) // aws-sdk:s3 Tasks on this S3
                .store(store)
                .mockConfig(mockConfig.orElse(null))
                .onExecutionEnd(this::tellExecutionEnd)
                .objectStore(s3Objects)
                .build();
        try {
            sfn = StepFunctionsServer.start(sfnConfig);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof BindException) {
                throw StartupException.portInUse(config.sfnPort(), Setting.SFN_PORT);
            }
            throw new StartupException("Cannot start the Step Functions endpoint: " + e.getMessage(), e);
        }
        started.push(sfn);
        try {
            String definition = DefinitionTemplate.render(definitionTemplate,
                    OrderflowFunctions.definitionSubstitutions(invoker));
            stateMachineArn = createOrUpdate(definition);
        } catch (IllegalArgumentException | StepFunctionsException e) {
            throw new StartupException(LocalStackConfig.DEFINITION_FILE + " cannot be used: " + e.getMessage(), e);
        }
        String storage = "in memory";
        if (!config.inMemory()) {
            var resumed = sfn.api().resumeAll();
            resumed.failed().forEach(line -> warnings.accept("      could not resume " + line));
            storage = "store: " + config.displayPath(config.storeDir()) + ", "
                    + plural(store.size(), "execution") + " in " + openMillis + " ms"
                    + (retired == 0 ? "" : ", " + retired + " closed more than " + RETENTION.toDays() + " days ago dropped")
                    + (resumed.resumed() == 0 ? "" : ", " + resumed.resumed() + " resumed where the last stop left them")
                    + (resumed.failed().isEmpty() ? "" : ", " + resumed.failed().size() + " could not continue -> FAILED");
        }
        report(3, "Step Functions", "ready on " + sfnEndpoint() + " (" + STATE_MACHINE_NAME + "; " + storage
                + (config.watch() ? "; " + watchDefinition(invoker) : "") + ")");
        config.mockConfig().ifPresent(file -> progress.accept("      mock configuration " + config.displayPath(file) + ": "
                + plural(mockConfig.orElseThrow().testCaseCount(), "test case")
                + " (start an execution as <stateMachineArn>#<test case> to use one)"));
    }

    /** Hot reload: each save of the workflow file becomes a new version (see {@link WorkflowFileWatcher}). */
    private String watchDefinition(LocalLambdaInvoker invoker) {
        var substitutions = OrderflowFunctions.definitionSubstitutions(invoker);
        try {
            started.push(WorkflowFileWatcher.start(config.definitionFile(), LocalStackConfig.DEFINITION_FILE,
                    template -> DefinitionTemplate.render(template, substitutions), sfn.api(), stateMachineArn,
                    progress));
            return "watching " + LocalStackConfig.DEFINITION_FILE;
        } catch (IOException e) {
            return "not watching " + LocalStackConfig.DEFINITION_FILE + ": " + e.getMessage();
        }
    }

    private static MockConfig readMockConfig(Path file) {
        try {
            return MockConfig.read(file);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new StartupException("The mock configuration " + file + " cannot be used: " + e.getMessage()
                    + (e.getCause() != null && !(e instanceof IllegalArgumentException) ? " (" + e.getCause() + ")" : ""), e);
        }
    }

    private EventLog.Options storeOptions() {
        var defaults = EventLog.Options.defaults();
        // by default a record is acknowledged once the OS has it (kill -9 cannot take it back) and on disk within
        // the sync interval; --sync-each-write acknowledges only after its fsync, for power-cut safety
        return new EventLog.Options(defaults.segmentBytes(), defaults.maxPendingBytes(), defaults.retryDelay(),
                line -> warnings.accept("      " + line), syncInterval());
    }

    /** The workflow as the file says now; executions already running keep the definition they started with. */
    private String createOrUpdate(String definition) {
        var registry = sfn.stateMachines();
        var existing = registry.find(registry.arns().stateMachineArn(STATE_MACHINE_NAME));
        if (existing.isPresent()) {
            if (!existing.get().definition().json().equals(definition)) {
                registry.update(existing.get().arn(), definition, null);
            }
            return existing.get().arn();
        }
        return registry.create(STATE_MACHINE_NAME, definition, ROLE_ARN, StateMachineType.STANDARD).arn();
    }

    private void startApi() {
        // unsigned ("no auth", not merely anonymous credentials, with which the SDK still runs SigV4's body hash): the
        // local Step Functions endpoint reads no signature, and signing is CPU on every POST's path; the function's
        // start policy as the client's own, as the function builds its client (no plugin on every start)
        SfnClient sfnClient = SfnClient.builder()
                .endpointOverride(sfnEndpoint())
                .region(Region.of(REGION))
                .overrideConfiguration(o -> o.retryStrategy(OrderSubmission.START_RETRIES))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .authSchemeProvider(params -> LocalS3Server.NO_AUTH)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        started.push(sfnClient);
        // the handler links to the execution view on the API's own port, known once the server is bound
        var handler = new AtomicReference<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>();
        var settings = new ApiGatewayServer.Settings(config.apiPort(), RouteTemplates.ORDERFLOW, "local", API_FUNCTION,
                "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + API_FUNCTION + ":" + OrderflowFunctions.ALIAS,
                this::tellRequest, line -> console.functionLog(API_FUNCTION, line))
                .withBindAddress(config.bind())
                .withCors(config.cors());
        try {
            api = ApiGatewayServer.start(settings, (event, context) -> handler.get().handleRequest(event, context));
        } catch (BindException e) {
            throw StartupException.portInUse(config.apiPort(), Setting.API_PORT);
        } catch (IOException e) {
            throw new StartupException("Cannot start the API: " + e.getMessage(), e);
        }
        api.mount(EXECUTION_VIEW_PATH, new ExecutionViewHandler(EXECUTION_VIEW_PATH, sfnEndpoint(), sfn.api().expressRuns()));
        var apiConfig = new ApiConfig(config.bucket(), stateMachineArn, apiEndpoint() + EXECUTION_VIEW_PATH, config.cors());
        handler.set(new ApiHandler(apiConfig, s3Client, sfnClient, new SecureRandomOrderIdGenerator(Clock.systemUTC())));
        started.push(api);
        report(4, "API Gateway", "ready on " + apiEndpoint() + " (REST proxy to " + API_FUNCTION + ", stage local; execution view "
                + EXECUTION_VIEW_PATH + "/)");
    }

    private void tellRequest(Served served) {
        console.request(served.method(), served.path(), served.status(), served.took(), orderIdOf(served));
    }

    /** The order a request was about: the one it created (its Location) or the one its path names. */
    static Optional<String> orderIdOf(Served served) {
        String path = served.header("Location").map(location -> URI.create(location).getPath()).orElse(served.path());
        var segments = path.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            if (segments[i].equals("orders") && !segments[i + 1].isEmpty()) {
                return Optional.of(segments[i + 1]);
            }
        }
        return Optional.empty();
    }

    private void tellExecutionEnd(StoredExecution execution, ExecutionOutcome outcome) {
        ExecutionEnd.of(execution, outcome).ifPresent(end -> console.executionEnded(end,
                execution.stateMachineName().equals(STATE_MACHINE_NAME)));
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private void report(int part, String name, String status) {
        var label = new StringBuilder(name).append(' ');
        while (label.length() < 22) {
            label.append('.');
        }
        progress.accept("[" + part + "/" + PARTS + "] " + label + " " + status);
    }

    public LocalStackConfig config() {
        return config;
    }

    public URI apiEndpoint() {
        return URI.create("http://" + BlockingHttpServer.clientHost(config.bind()) + ":" + api.port());
    }

    public URI sfnEndpoint() {
        return URI.create("http://" + BlockingHttpServer.clientHost(config.bind()) + ":" + sfn.port());
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** The ready banner: where everything is, and a first request to try. */
    public String banner() {
        String api = apiEndpoint().toString();
        return """

                orderflow local stack is ready
                  API             %s   (POST /orders, GET /orders, /orders/{id}, /orders/{id}/history)
                  Step Functions  %s   (state machine %s)
                  S3              %s   (bucket %s%s)
                  Execution view  %s%s/

                  Try:
                    curl -s -X POST %s/orders -H 'Content-Type: application/json' \\
                         -H 'Idempotency-Key: demo-1' --data @test-payloads/order-completed.json
                    curl -s %s/orders

                  Press Ctrl-C to stop.
                """.formatted(api, sfnEndpoint(), stateMachineArn, s3Endpoint(), config.bucket(),
                config.inMemory() ? ", in memory" : ", data in " + config.displayPath(config.dataDir()),
                api, EXECUTION_VIEW_PATH, api, api);
    }

    /**
     * Stops the API first (no new orders), then Step Functions, the store and S3. With a durable store
     * executions still running stay RUNNING and carry on at the next start; in memory they get a moment
     * to finish.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (api != null) {
            api.close();
            started.remove(api);
        }
        awaitRunningExecutions();
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("stopping " + part.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }

    private void awaitRunningExecutions() {
        // a durable store resumes executions at the next start; in memory they would be lost, so give them a moment
        if (sfn == null || !config.inMemory()) {
            return;
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && sfn.api().runningCount() > 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code mvn -Plocal}: starts the stack, prints the banner and runs until Ctrl-C. */
    public static void main(String[] args) {
        // the JDK's HTTP client (the SDK clients' transport here) keeps 5 idle connections per endpoint by default; the
        // stack's handlers call S3 and Step Functions from up to LocalLambdaInvoker.DEFAULT_CONCURRENCY threads at
        // once, and a connection closed after each call costs a connect and a server thread each time
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", String.valueOf(LocalLambdaInvoker.DEFAULT_CONCURRENCY * 2));
        }
        if (LocalStackConfig.wantsHelp(args)) {
            System.out.print(Setting.usage());
            return;
        }
        // a line per execution end, at thousands a second, is one write per gathering rather than one per line
        var stdout = GatheringOutput.over(new FileOutputStream(FileDescriptor.out));
        System.setOut(stdout.printStream(System.out.charset()));
        LocalStack stack;
        try {
            LocalStackConfig config = LocalStackConfig.fromProcess(args);
            var console = new Console(System.out, config.verbosity(), config.logFormat(), Clock.systemDefaultZone());
            console.startup("Starting the orderflow local stack (project " + config.projectRoot() + ")");
            if (!config.nonDefaultSettings().isEmpty()) {
                console.startup("Settings not at their default: " + String.join(", ", config.nonDefaultSettings()));
            }
            stack = start(config, console);
        } catch (LocalStackConfig.InvalidSettingException | StartupException e) {
            stdout.close(); // the start-up lines before the message, in their order
            System.err.println();
            System.err.println(e.getMessage());
            System.err.flush();
            // exec:java runs in Maven's JVM: exiting here is the one way to fail without a Maven stack trace
            System.exit(1);
            return;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.console.startup("Stopping the orderflow local stack ...");
            stack.close();
            stack.console.startup("Stopped.");
            stdout.close();
            stopped.countDown();
        }, "orderflow-local-shutdown"));
        stack.console.ready(stack.banner(), Map.of("api", stack.apiEndpoint().toString(),
                "stepFunctions", stack.sfnEndpoint().toString(), "s3", stack.s3Endpoint().toString(),
                "executionView", stack.apiEndpoint() + EXECUTION_VIEW_PATH + "/", "stateMachineArn", stack.stateMachineArn()));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
