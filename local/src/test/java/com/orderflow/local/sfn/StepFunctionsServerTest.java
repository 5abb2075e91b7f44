package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** Every supported operation and error code, driven by the real SDK over loopback. */
class StepFunctionsServerTest {

    static final String ROLE = "arn:aws:iam::000000000000:role/orderflow-local-workflow";
    static final String PASS = """
            {"StartAt":"Shape","States":{"Shape":{"Type":"Pass","Parameters":{"greeting.$":"$.name"},"End":true}}}""";
    static final String WAIT = """
            {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":60,"End":true}}}""";
    static final String CALL = """
            {"StartAt":"Call","States":{"Call":{"Type":"Task",
             "Resource":"arn:aws:lambda:us-east-1:000000000000:function:shout:live","End":true}}}""";

    static StepFunctionsServer server;
    static SfnClient sfn;

    @BeforeAll
    static void start() {
        var lambdas = LocalLambdaInvoker.builder()
                .function("shout", JsonNode.class, (input, context) -> {
                    if (input.path("fail").asBoolean()) {
                        throw new IllegalStateException("told to fail");
                    }
                    return input.path("word").asText().toUpperCase();
                })
                .build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String create(String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    @Test
    void createStateMachine_thenDescribe_returnsWhatWasCreated() {
        var name = unique("pass");
        var created = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));

        var described = sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));

        assertThat(created.stateMachineArn()).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:" + name);
        assertThat(described.name()).isEqualTo(name);
        assertThat(described.definition()).isEqualTo(PASS);
        assertThat(described.roleArn()).isEqualTo(ROLE);
        assertThat(described.type()).isEqualTo(StateMachineType.STANDARD);
        assertThat(described.statusAsString()).isEqualTo("ACTIVE");
        assertThat(described.creationDate()).isEqualTo(created.creationDate());
    }

    @Test
    void createStateMachine_sameNameAndDefinitionAgain_isIdempotent_butADifferentDefinitionIsRefused() {
        var name = unique("idem");
        var first = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));
        var again = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));

        assertThat(again.stateMachineArn()).isEqualTo(first.stateMachineArn());
        assertThat(again.creationDate()).isEqualTo(first.creationDate());
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(name).definition(WAIT).roleArn(ROLE)))
                .isInstanceOf(StateMachineAlreadyExistsException.class)
                .hasMessageContaining(first.stateMachineArn());
    }

    @Test
    void createStateMachine_refusesBadDefinitionNameRoleAndMissingMembers() {
        assertThatThrownBy(() -> create(unique("bad"), "{\"StartAt\":\"Nowhere\",\"States\":{}}"))
                .isInstanceOf(InvalidDefinitionException.class);
        assertThatThrownBy(() -> create(unique("bad"), "not json"))
                .isInstanceOf(InvalidDefinitionException.class);
        assertThatThrownBy(() -> create("has space", PASS)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> create("x".repeat(81), PASS)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(unique("r")).definition(PASS).roleArn("role")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.definition(PASS).roleArn(ROLE)))
                .isInstanceOfSatisfying(SfnException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void createStateMachine_acceptsADefinitionNearTheOneMebibyteLimit() {
        var big = "{\"Comment\":\"" + "x".repeat(1_040_000) + "\"," + PASS.substring(1);

        var arn = create(unique("big"), big);

        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(big);
    }

    @Test
    void listStateMachines_pagesThroughAllInNameOrder() {
        var prefix = unique("list");
        var names = List.of(prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-d", prefix + "-e");
        names.forEach(n -> create(n, PASS));

        var seen = new ArrayList<String>();
        String token = null;
        int pages = 0;
        do {
            var t = token;
            var page = sfn.listStateMachines(b -> b.maxResults(2).nextToken(t));
            assertThat(page.stateMachines()).hasSizeLessThanOrEqualTo(2);
            page.stateMachines().stream().map(StateMachineListItem::name).forEach(seen::add);
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(seen).isSorted().containsAll(names);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(sfn.listStateMachinesPaginator(b -> b.maxResults(1)).stateMachines().stream()
                .map(StateMachineListItem::name).toList()).isEqualTo(seen);
        assertThatThrownBy(() -> sfn.listStateMachines(b -> b.nextToken("bm90LWEtdG9rZW4")))
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> sfn.listStateMachines(b -> b.maxResults(1001)))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void deleteStateMachine_removesIt() {
        var arn = create(unique("gone"), PASS);

        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));

        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineDoesNotExistException.class)
                .hasMessageContaining(arn);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.deleteStateMachine(b -> b.stateMachineArn("stateMachine:gone")))
                .isInstanceOf(InvalidArnException.class);
    }

    @Test
    void updateStateMachine_replacesTheDefinitionForNewExecutions() throws Exception {
        var arn = create(unique("upd"), PASS);

        var updated = sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(CALL));
        var run = sfn.startExecution(b -> b.stateMachineArn(arn).input("{\"word\":\"quiet\"}"));

        assertThat(updated.updateDate()).isNotNull();
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(CALL);
        assertThat(awaitEnd(sfn, run.executionArn()).output()).isEqualTo("\"QUIET\"");
    }

    @Test
    void startExecution_runsToSucceeded_andDescribeReportsInputOutputAndDates() throws Exception {
        var smArn = create(unique("run"), PASS);

        var started = sfn.startExecution(b -> b.stateMachineArn(smArn).name("first-run").input("{\"name\":\"ada\"}"));
        var described = awaitEnd(sfn, started.executionArn());

        assertThat(started.executionArn()).isEqualTo(smArn.replace(":stateMachine:", ":execution:") + ":first-run");
        assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(described.name()).isEqualTo("first-run");
        assertThat(described.stateMachineArn()).isEqualTo(smArn);
        assertThat(described.input()).isEqualTo("{\"name\":\"ada\"}");
        assertThat(json(described.output())).isEqualTo(json("{\"greeting\":\"ada\"}"));
        assertThat(described.startDate()).isEqualTo(started.startDate());
        assertThat(described.stopDate()).isAfterOrEqualTo(described.startDate());
        assertThat(described.error()).isNull();
        assertThat(sfn.describeStateMachineForExecution(b -> b.executionArn(started.executionArn())).definition())
                .isEqualTo(PASS);
    }

    @Test
    void startExecution_withoutName_usesAUuid_andWithoutInput_usesAnEmptyObject() throws Exception {
        var smArn = create(unique("anon"), CALL);

        var started = sfn.startExecution(b -> b.stateMachineArn(smArn));
        var described = awaitEnd(sfn, started.executionArn());

        assertThat(UUID.fromString(described.name())).isNotNull();
        assertThat(described.input()).isEqualTo("{}");
        assertThat(described.output()).isEqualTo("\"\"");
    }

    @Test
    void startExecution_sameNameWhileRunning_withSameInputReturnsTheRun_otherwiseExecutionAlreadyExists() throws Exception {
        var smArn = create(unique("reuse"), WAIT);
        var first = sfn.startExecution(b -> b.stateMachineArn(smArn).name("order-1").input("{\"a\":1}"));

        var repeat = sfn.startExecution(b -> b.stateMachineArn(smArn).name("order-1").input("{ \"a\" : 1 }"));

        assertThat(repeat.executionArn()).isEqualTo(first.executionArn());
        assertThat(repeat.startDate()).isEqualTo(first.startDate());
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn).name("order-1").input("{\"a\":2}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class)
                .hasMessageContaining(first.executionArn());

        sfn.stopExecution(b -> b.executionArn(first.executionArn()));
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn).name("order-1").input("{\"a\":1}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
    }

    @Test
    void startExecution_refusesBadNameInputAndArns() {
        var smArn = create(unique("checks"), PASS);

        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn).name("a/b")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn).input("{\"open\":")))
                .isInstanceOf(InvalidExecutionInputException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn).input("{} trailing")))
                .isInstanceOf(InvalidExecutionInputException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn + "-missing")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn("arn:aws:states:us-east-1:1:nope")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(smArn + "#NoSuchTestCase")))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void describeExecution_unknownOrMalformed_isExecutionDoesNotExistOrInvalidArn() {
        assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(
                "arn:aws:states:us-east-1:000000000000:execution:nothing:here")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn("execution:nothing")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(
                "arn:aws:states:us-east-1:000000000000:execution:nothing:here")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
    }

    @Test
    void failingTask_failsTheExecutionWithTheExceptionClassAsError() throws Exception {
        var smArn = create(unique("fail"), CALL);

        var started = sfn.startExecution(b -> b.stateMachineArn(smArn).input("{\"fail\":true}"));
        var described = awaitEnd(sfn, started.executionArn());

        assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(described.error()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json(described.cause()).get("errorMessage").asText()).isEqualTo("told to fail");
        assertThat(described.output()).isNull();
    }

    @Test
    void listExecutions_filtersByStatus_andPagesNewestFirst() throws Exception {
        var smArn = create(unique("many"), CALL);
        var arns = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            var input = i == 2 ? "{\"fail\":true}" : "{\"word\":\"w" + i + "\"}";
            var name = "run-" + i;
            arns.add(sfn.startExecution(b -> b.stateMachineArn(smArn).name(name).input(input)).executionArn());
            awaitEnd(sfn, arns.getLast());
        }

        var listed = new ArrayList<String>();
        String token = null;
        do {
            var t = token;
            var page = sfn.listExecutions(b -> b.stateMachineArn(smArn).maxResults(2).nextToken(t));
            page.executions().forEach(e -> listed.add(e.executionArn()));
            token = page.nextToken();
        } while (token != null);
        var failed = sfn.listExecutions(b -> b.stateMachineArn(smArn).statusFilter(ExecutionStatus.FAILED));
        var succeeded = sfn.listExecutions(b -> b.stateMachineArn(smArn).statusFilter(ExecutionStatus.SUCCEEDED));

        assertThat(listed).containsExactlyElementsOf(arns.reversed());
        assertThat(failed.executions()).singleElement()
                .satisfies(e -> assertThat(e.executionArn()).isEqualTo(arns.get(2)));
        assertThat(succeeded.executions()).hasSize(4).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.stopDate()).isNotNull();
        });
        // a filtered listing pages too, and its token continues that listing only
        var firstSucceeded = sfn.listExecutions(b -> b.stateMachineArn(smArn).statusFilter(ExecutionStatus.SUCCEEDED)
                .maxResults(3));
        var restSucceeded = sfn.listExecutions(b -> b.stateMachineArn(smArn).statusFilter(ExecutionStatus.SUCCEEDED)
                .maxResults(3).nextToken(firstSucceeded.nextToken()));
        assertThat(firstSucceeded.executions()).extracting(e -> e.executionArn())
                .containsExactly(arns.get(4), arns.get(3), arns.get(1));
        assertThat(restSucceeded.executions()).extracting(e -> e.executionArn()).containsExactly(arns.get(0));
        assertThat(restSucceeded.nextToken()).isNull();
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(smArn).nextToken(firstSucceeded.nextToken())))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidToken"));
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(smArn).nextToken("bm90IGEgdG9rZW4")))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidToken"));
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(smArn + "-nope")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(smArn).statusFilter("SLEEPING")))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void getExecutionHistory_returnsEventsInOrder_reversed_paged_andWithoutDataOnRequest() throws Exception {
        var smArn = create(unique("hist"), CALL);
        var arn = sfn.startExecution(b -> b.stateMachineArn(smArn).input("{\"word\":\"secret\"}")).executionArn();
        awaitEnd(sfn, arn);

        var events = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();
        var reversed = sfn.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true)).events();
        var paged = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(2)).events().stream().toList();
        var withoutData = sfn.getExecutionHistory(b -> b.executionArn(arn).includeExecutionData(false)).events();

        assertThat(events).extracting(HistoryEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(events.getFirst().type()).isEqualTo(HistoryEventType.EXECUTION_STARTED);
        assertThat(events.getFirst().executionStartedEventDetails().input()).isEqualTo("{\"word\":\"secret\"}");
        assertThat(events.getLast().type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(events.getLast().executionSucceededEventDetails().output()).isEqualTo("\"SECRET\"");
        assertThat(events).extracting(HistoryEvent::type).contains(HistoryEventType.TASK_STATE_ENTERED);
        assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
        assertThat(reversed).isEqualTo(events.reversed());
        assertThat(paged).isEqualTo(events);
        assertThat(withoutData.getFirst().executionStartedEventDetails().input()).isNull();
        assertThat(withoutData.getLast().executionSucceededEventDetails().output()).isNull();
    }

    @Test
    void stopExecution_abortsARunningExecution_withErrorAndCause() throws Exception {
        var smArn = create(unique("stop"), WAIT);
        var arn = sfn.startExecution(b -> b.stateMachineArn(smArn)).executionArn();

        var stopped = sfn.stopExecution(b -> b.executionArn(arn).error("Operator.Stop").cause("no longer needed"));
        var described = sfn.describeExecution(b -> b.executionArn(arn));
        var history = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();

        assertThat(described.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(described.error()).isEqualTo("Operator.Stop");
        assertThat(described.cause()).isEqualTo("no longer needed");
        assertThat(described.stopDate()).isEqualTo(stopped.stopDate());
        assertThat(history.getLast().type()).isEqualTo(HistoryEventType.EXECUTION_ABORTED);
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(smArn).statusFilter(ExecutionStatus.ABORTED))
                .executions()).hasSize(1);
    }

    @Test
    void rawHttp_malformedOrUnexpectedRequests_get4xxInAwsErrorShape() throws Exception {
        var http = HttpClient.newHttpClient();
        var endpoint = URI.create(server.endpoint() + "/");

        var malformed = post(http, endpoint, "AWSStepFunctions.ListStateMachines", CONTENT_TYPE, "{\"maxResults\":");
        var notObject = post(http, endpoint, "AWSStepFunctions.ListStateMachines", CONTENT_TYPE, "[1,2]");
        var wrongType = post(http, endpoint, "AWSStepFunctions.DescribeStateMachine", CONTENT_TYPE,
                "{\"stateMachineArn\":42}");
        var unknown = post(http, endpoint, "AWSStepFunctions.DescribeEverything", CONTENT_TYPE, "{}");
        var noTarget = post(http, endpoint, null, CONTENT_TYPE, "{}");
        var wrongContent = post(http, endpoint, "AWSStepFunctions.ListStateMachines", "text/plain", "{}");
        var get = http.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertError(malformed, 400, "SerializationException");
        assertError(notObject, 400, "SerializationException");
        assertError(wrongType, 400, "SerializationException");
        assertError(unknown, 400, "UnknownOperationException");
        assertError(noTarget, 400, "UnknownOperationException");
        assertError(wrongContent, 400, "SerializationException");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(malformed.headers().firstValue("X-Amzn-ErrorType")).contains("SerializationException");
        assertThat(malformed.headers().firstValue("Content-Type")).contains(CONTENT_TYPE);
    }

    @Test
    void rawHttp_wrongPathOrBodyOverFourMebibytes_get404And413InAwsErrorShape() throws Exception {
        var http = HttpClient.newHttpClient();
        var endpoint = URI.create(server.endpoint() + "/");

        var wrongPath = post(http, endpoint.resolve("/other"), "AWSStepFunctions.ListStateMachines", CONTENT_TYPE, "{}");
        var tooLarge = post(http, endpoint, "AWSStepFunctions.ListStateMachines", CONTENT_TYPE,
                "{\"x\":\"" + "y".repeat(4 * 1024 * 1024) + "\"}");

        assertError(wrongPath, 404, "UnknownOperationException");
        assertError(tooLarge, 413, "ValidationException");
        assertThat(tooLarge.headers().firstValue("X-Amzn-ErrorType")).contains("ValidationException");
        assertThat(tooLarge.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    static HttpResponse<String> post(HttpClient http, URI uri, String target, String contentType, String body)
            throws Exception {
        var request = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        var body = json(response.body());
        assertThat(body.get("__type").asText()).isEqualTo(type);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }
}
