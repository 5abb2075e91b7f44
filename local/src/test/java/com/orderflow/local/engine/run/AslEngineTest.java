package com.orderflow.local.engine.run;

import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.definition.StateMachineDefinition;

import static com.orderflow.local.engine.run.EngineFixture.json;
import static com.orderflow.local.engine.run.EngineFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AslEngineTest {

    @Test
    void passChain_appliesParametersResultPathAndOutputPath() {
        var r = run("""
                {"StartAt":"A","States":{
                  "A":{"Type":"Pass","Parameters":{"x.$":"$.in","k":1},"ResultPath":"$.a","Next":"B"},
                  "B":{"Type":"Pass","OutputPath":"$.a","End":true}}}""", "{\"in\":\"v\"}");
        assertThat(r.output()).isEqualTo(json("{\"x\":\"v\",\"k\":1}"));
        assertThat(r.types()).containsExactly("ExecutionStarted", "PassStateEntered", "PassStateExited",
                "PassStateEntered", "PassStateExited", "ExecutionSucceeded");
        assertThat(r.history().get(2).previousEventId()).isEqualTo(2);
        assertThat(r.history().get(1).details().get("stateEnteredEventDetails").get("input").asText())
                .isEqualTo("{\"in\":\"v\"}");
    }

    @Test
    void task_withLambdaArn_recordsLambdaEventsAndAppliesResultSelector() {
        var r = run("""
                {"StartAt":"T","States":{"T":{"Type":"Task",
                  "Resource":"arn:aws:lambda:us-east-1:000000000000:function:f:live",
                  "ResultSelector":{"v.$":"$.value"},"ResultPath":"$.r","End":true}}}""", "{\"a\":1}",
                (res, in, ctx) -> json("{\"value\":42}"));
        assertThat(r.output()).isEqualTo(json("{\"a\":1,\"r\":{\"v\":42}}"));
        assertThat(r.types()).containsExactly("ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded");
    }

    @Test
    void task_retriesThenCatches_withErrorOutputAtResultPath() {
        var calls = new AtomicInteger();
        var r = run("""
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                    "Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":2,"IntervalSeconds":1}],
                    "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"F"}],"End":true},
                  "F":{"Type":"Pass","End":true}}}""", "{}", (res, in, ctx) -> {
            calls.incrementAndGet();
            throw new TaskFailedException("Boom", "bad");
        });
        assertThat(calls.get()).isEqualTo(3);
        assertThat(r.output()).isEqualTo(json("{\"err\":{\"Error\":\"Boom\",\"Cause\":\"bad\"}}"));
        assertThat(r.types()).contains("TaskScheduled", "TaskStarted", "TaskFailed");
    }

    @Test
    void serviceTask_namesTheRegionOfTheExecutionsArn() throws Exception {
        var definition = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject",
                  "End":true}}}""");
        var identity = new ExecutionIdentity("arn:aws:states:eu-west-1:000000000000:execution:sm:r", "r",
                "arn:aws:states:eu-west-1:000000000000:stateMachine:sm", "sm", null, Instant.now());

        var execution = EngineFixture.ENGINE.start(definition, identity, json("{}"), (res, in, ctx) -> in, e -> { });
        execution.completion().get(30, TimeUnit.SECONDS);

        assertThat(execution.history().get(2).details().path("taskScheduledEventDetails").path("region").asText())
                .isEqualTo("eu-west-1");
    }

    @Test
    void choice_missingVariable_failsWithStatesRuntime() {
        var r = run("""
                {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
                  {"Variable":"$.foo","StringEquals":"x","Next":"D"}],"Default":"D"},
                  "D":{"Type":"Succeed"}}}""", "{}");
        assertThat(r.failed().error()).isEqualTo("States.Runtime");
        assertThat(r.failed().cause()).isEqualTo("An error occurred while executing the state 'C' (entered at the "
                + "event id #2). Invalid path '$.foo': The choice state's condition path references an invalid value.");
    }

    @Test
    void parallel_outputsBranchResultsInOrder() {
        var r = run("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":2,"Next":"A2"},"A2":{"Type":"Pass","Result":1,"End":true}}},
                  {"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}]}}}""", "{}");
        assertThat(r.output()).isEqualTo(json("[1,2]"));
    }

    @Test
    void map_usesItemSelectorWithContextItem() {
        var r = run("""
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":1,
                  "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","k.$":"$.k"},
                  "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""",
                "{\"xs\":[\"a\",\"b\"],\"k\":7}");
        assertThat(r.output()).isEqualTo(json("[{\"i\":0,\"v\":\"a\",\"k\":7},{\"i\":1,\"v\":\"b\",\"k\":7}]"));
    }

    @Test
    void failState_endsExecutionWithErrorAndCause() {
        var r = run("""
                {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","CausePath":"$.why"}}}""",
                "{\"why\":\"because\"}");
        assertThat(r.failed()).isEqualTo(new ExecutionOutcome.Failed("E", "because"));
    }

    @Test
    void assign_setsVariablesReadLaterByPathsIntrinsicsAndChoices() {
        var r = run("""
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"v.$":"$.value"},
                    "Assign":{"fromResult.$":"$.v","fixed":"k","ctx.$":"$$.State.Name"},"ResultPath":null,"Next":"C"},
                  "C":{"Type":"Choice","Choices":[{"Variable":"$fromResult","NumericEquals":42,"Next":"Use",
                    "Assign":{"picked":"yes"}}],"Default":"Use"},
                  "Use":{"Type":"Pass","Parameters":{"a.$":"$fromResult","b.$":"States.Format('{}-{}', $fixed, $picked)",
                    "c.$":"$ctx","in.$":"$.in"},"End":true}}}""", "{\"in\":1}",
                (res, in, ctx) -> json("{\"value\":42}"));
        assertThat(r.output()).isEqualTo(json("{\"a\":42,\"b\":\"k-yes\",\"c\":\"T\",\"in\":1}"));
    }

    @Test
    void assign_insideParallelBranch_readsOuterVariablesButDoesNotLeakOut() {
        var r = run("""
                {"StartAt":"Set","States":{
                  "Set":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
                  "P":{"Type":"Parallel","Next":"After","Branches":[
                    {"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"y":2},"Parameters":{"x.$":"$x"},"End":true}}}]},
                  "After":{"Type":"Choice","Choices":[{"Variable":"$y","IsPresent":true,"Next":"Leaked"}],"Default":"Done"},
                  "Leaked":{"Type":"Fail","Error":"Leaked"},
                  "Done":{"Type":"Pass","End":true}}}""", "{}");
        assertThat(r.output()).isEqualTo(json("[{\"x\":1}]"));
    }
}
