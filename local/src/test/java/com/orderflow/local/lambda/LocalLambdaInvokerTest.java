package com.orderflow.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalLambdaInvokerTest {

    record Greeting(String name, int times) {
    }

    record Reply(String text) {
    }

    static final class GreetHandler implements RequestHandler<Greeting, Reply> {
        @Override
        public Reply handleRequest(Greeting input, Context context) {
            return new Reply(("hello " + input.name() + " ").repeat(input.times()).trim());
        }
    }

    static final class GreetingRejected extends RuntimeException {
        GreetingRejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class FailingHandler implements RequestHandler<Greeting, Reply> {
        @Override
        public Reply handleRequest(Greeting input, Context context) {
            throw new GreetingRejected("no greeting for " + input.name(), new IllegalStateException("root cause"));
        }
    }

    /** A generic base class, so the input type has to be resolved through the hierarchy. */
    abstract static class TreeHandler<T> implements RequestHandler<T, JsonNode> {
    }

    static final class EchoTree extends TreeHandler<JsonNode> {
        @Override
        public JsonNode handleRequest(JsonNode input, Context context) {
            return input;
        }
    }

    static final class MapHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            return Map.of("keys", input.keySet().stream().sorted().toList());
        }
    }

    /** Counts how often the invoker maps an event to it: once per invocation, never through text and back. */
    record CountedInput(String name) {
        static final AtomicInteger MAPPED = new AtomicInteger();

        @JsonCreator
        CountedInput(@JsonProperty("name") String name, @JsonProperty("unused") String unused) {
            this(name);
            MAPPED.incrementAndGet();
        }
    }

    /** Counts how often the invoker writes it out: once per invocation. */
    @JsonSerialize(using = CountedOutput.Writer.class)
    record CountedOutput(String text) {
        static final AtomicInteger WRITTEN = new AtomicInteger();

        static final class Writer extends JsonSerializer<CountedOutput> {
            @Override
            public void serialize(CountedOutput value, JsonGenerator out, SerializerProvider provider) throws IOException {
                WRITTEN.incrementAndGet();
                out.writeStartObject();
                out.writeStringField("text", value.text());
                out.writeEndObject();
            }
        }
    }

    static final class CountingHandler implements RequestHandler<CountedInput, CountedOutput> {
        @Override
        public CountedOutput handleRequest(CountedInput input, Context context) {
            return new CountedOutput("hi " + input.name());
        }
    }

    /** A handler that changes the tree it is given, as a careless one may. */
    static final class MutatingTree implements RequestHandler<ObjectNode, JsonNode> {
        @Override
        public JsonNode handleRequest(ObjectNode input, Context context) {
            input.put("touched", true);
            return input;
        }
    }

    private static final TaskContext TASK = new TaskContext("arn:aws:states:us-east-1:000000000000:execution:sm:run",
            "run", "arn:aws:states:us-east-1:000000000000:stateMachine:sm", "Greet", 0, 30);

    private final LocalLambdaInvoker invoker = LocalLambdaInvoker.builder()
            .function("greet", new GreetHandler())
            .function("fail", new FailingHandler())
            .function("echo", new EchoTree())
            .function("keys", new MapHandler())
            .function("counted", new CountingHandler())
            .function("mutating", new MutatingTree())
            .build();

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void aliasArnResource_mapsInputToRecord_andReturnsHandlerResultAsJson() throws Exception {
        var result = invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:greet:live",
                json("{\"name\":\"ada\",\"times\":2,\"ignored\":true}"), TASK);

        assertThat(result).isEqualTo(json("{\"text\":\"hello ada hello ada\"}"));
    }

    @Test
    void versionAndUnqualifiedArns_runTheSameFunction() throws Exception {
        var input = json("{\"name\":\"bob\",\"times\":1}");

        assertThat(invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:greet:7", input, TASK))
                .isEqualTo(invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:greet", input, TASK))
                .isEqualTo(json("{\"text\":\"hello bob\"}"));
    }

    @Test
    void lambdaInvokeIntegration_wrapsPayloadLikeStepFunctions() throws Exception {
        var result = invoker.invoke(LocalLambdaInvoker.LAMBDA_INVOKE,
                json("{\"FunctionName\":\"greet:live\",\"Payload\":{\"name\":\"cy\",\"times\":1}}"), TASK);

        assertThat(result.get("Payload")).isEqualTo(json("{\"text\":\"hello cy\"}"));
        assertThat(result.get("StatusCode").asInt()).isEqualTo(200);
        assertThat(result.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
        assertThat(result.path("SdkHttpMetadata").path("HttpStatusCode").asInt()).isEqualTo(200);
        var requestId = result.path("SdkResponseMetadata").path("RequestId").asText();
        assertThat(requestId).isNotBlank();
        assertThat(result.path("SdkHttpMetadata").path("HttpHeaders").path("x-amzn-RequestId").asText())
                .isEqualTo(requestId);
        assertThat(result.path("SdkHttpMetadata").path("AllHttpHeaders").path("X-Amz-Executed-Version").get(0).asText())
                .isEqualTo("$LATEST");
        assertThat(Json.mapper().convertValue(result, Map.class).keySet()).containsExactly(
                "ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode");
    }

    @Test
    void lambdaInvokeIntegration_acceptsFullArnsAndQualifierParameter() throws Exception {
        var byArn = invoker.invoke(LocalLambdaInvoker.LAMBDA_INVOKE, json("""
                {"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:keys","Qualifier":"3",
                 "Payload":{"b":1,"a":2}}"""), TASK);

        assertThat(byArn.get("Payload")).isEqualTo(json("{\"keys\":[\"a\",\"b\"]}"));
        assertThat(byArn.get("ExecutedVersion").asText()).isEqualTo("3");
    }

    @Test
    void lambdaInvokeIntegration_eventInvocation_answers202AtOnce_andRunsTheFunctionInTheBackground() throws Exception {
        var ran = new java.util.concurrent.CountDownLatch(1);
        var events = LocalLambdaInvoker.builder()
                .function("later", JsonNode.class, (input, context) -> {
                    ran.countDown();
                    return null;
                })
                .build();

        var result = events.invoke(LocalLambdaInvoker.LAMBDA_INVOKE,
                json("{\"FunctionName\":\"later\",\"InvocationType\":\"Event\"}"), TASK);

        assertThat(result.get("StatusCode").asInt()).isEqualTo(202);
        assertThat(result.get("Payload").asText()).isEmpty();
        assertThat(ran.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void lambdaInvokeIntegration_withoutPayload_handsTheFunctionAnEmptyObject() throws Exception {
        var result = invoker.invoke(LocalLambdaInvoker.LAMBDA_INVOKE, json("{\"FunctionName\":\"keys\"}"), TASK);

        assertThat(result.get("Payload")).isEqualTo(json("{\"keys\":[]}"));
    }

    @Test
    void jsonNodeHandler_throughGenericBaseClass_getsTheTreeUnchanged() throws Exception {
        var tree = json("{\"nested\":{\"list\":[1,2.5,\"x\",null]}}");

        assertThat(invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:echo", tree, TASK)).isEqualTo(tree);
    }

    @Test
    void payload_isMappedOnceToTheHandlersType_andItsResultWrittenOnce_perInvocation() throws Exception {
        int mappedBefore = CountedInput.MAPPED.get();
        int writtenBefore = CountedOutput.WRITTEN.get();

        for (int i = 0; i < 5; i++) {
            var result = invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:counted",
                    json("{\"name\":\"ada\"}"), TASK);
            assertThat(result.path("text").asText()).isEqualTo("hi ada");
        }

        assertThat(CountedInput.MAPPED.get() - mappedBefore).isEqualTo(5);
        assertThat(CountedOutput.WRITTEN.get() - writtenBefore).isEqualTo(5);
    }

    @Test
    void treeHandler_thatChangesItsInput_leavesTheEnginesTreeAsItWas() throws Exception {
        var tree = json("{\"a\":1}");

        var result = invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:mutating", tree, TASK);

        assertThat(result.path("touched").asBoolean()).isTrue();
        assertThat(tree.has("touched")).isFalse();
    }

    @Test
    void handlerException_failsWithClassNameAsError_andJavaRuntimeErrorDocumentAsCause() throws Exception {
        assertThatThrownBy(() -> invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:fail:live",
                json("{\"name\":\"eve\",\"times\":1}"), TASK))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.error()).isEqualTo(GreetingRejected.class.getName());
                    var cause = readTree(e.cause());
                    assertThat(cause.get("errorMessage").asText()).isEqualTo("no greeting for eve");
                    assertThat(cause.get("errorType").asText()).isEqualTo(GreetingRejected.class.getName());
                    // the handler's frames only, as the runtime cuts its own (a bridge method may add one)
                    assertThat(cause.get("stackTrace")).isNotEmpty().allSatisfy(frame -> assertThat(frame.asText())
                            .startsWith(FailingHandler.class.getName() + ".handleRequest(LocalLambdaInvokerTest.java:"));
                    assertThat(cause.path("cause").path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
                });
    }

    @Test
    void eventNotFittingTheInputType_failsLikeTheJavaRuntimesParsingError() {
        assertThatThrownBy(() -> invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:greet",
                json("{\"name\":\"x\",\"times\":\"many\"}"), TASK))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.error()).isEqualTo("java.lang.RuntimeException");
                    assertThat(readTree(e.cause()).get("errorMessage").asText())
                            .isEqualTo("An error occurred during JSON parsing");
                });
    }

    @Test
    void unknownFunction_failsWithResourceNotFound() {
        assertThatThrownBy(() -> invoker.invoke("arn:aws:lambda:us-east-1:000000000000:function:nope:live",
                json("{}"), TASK))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.error()).isEqualTo("Lambda.ResourceNotFoundException");
                    assertThat(e.cause()).startsWith(
                            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope:live");
                });
    }

    @Test
    void nonLambdaResource_failsAsRuntimeError() {
        assertThatThrownBy(() -> invoker.invoke("arn:aws:states:::sqs:sendMessage", json("{}"), TASK))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.error()).isEqualTo("States.Runtime"));
    }

    @Test
    void context_reportsFunctionRequestAndDeadline_andLogsToTheConfiguredStream() throws Exception {
        var seen = new AtomicReference<String>();
        var out = new ByteArrayOutputStream();
        var withContext = LocalLambdaInvoker.builder()
                .function("ctx", JsonNode.class, (input, context) -> {
                    context.getLogger().log("working on " + input.path("id").asText());
                    seen.set(context.getFunctionName() + "|" + context.getInvokedFunctionArn() + "|"
                            + (context.getRemainingTimeInMillis() > 20_000 && context.getRemainingTimeInMillis() <= 30_000));
                    return context.getAwsRequestId();
                })
                .log(new PrintStream(out, true, StandardCharsets.UTF_8))
                .build();

        var result = withContext.invoke(LocalLambdaInvoker.LAMBDA_INVOKE,
                json("{\"FunctionName\":\"ctx:live\",\"Payload\":{\"id\":\"o-1\"}}"), TASK);

        assertThat(seen.get()).isEqualTo("ctx|arn:aws:lambda:us-east-1:000000000000:function:ctx:live|true");
        assertThat(result.get("Payload").asText()).isEqualTo(result.at("/SdkResponseMetadata/RequestId").asText());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("working on o-1");
    }

    @Test
    void registeringAnArnOrTheSameNameTwice_isRefused() {
        var builder = LocalLambdaInvoker.builder().function("a", new GreetHandler());

        assertThatThrownBy(() -> builder.function("a", new GreetHandler())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.function("arn:aws:lambda:us-east-1:000000000000:function:b", new GreetHandler()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode readTree(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
