package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution view in a real headless Chromium against the running local stack: a completed, a
 * rejected and a failed order, each execution page checked for state colours, the path taken and
 * the history rows. Screenshots land in {@code local/target/}.
 */
class ExecutionViewBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "execution-view");
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);

    // the colours of style.css, as the browser computes them
    private static final String SUCCEEDED_FILL = "rgb(233, 246, 234)";
    private static final String FAILED_FILL = "rgb(253, 232, 232)";
    private static final String CAUGHT_FILL = "rgb(255, 244, 224)";
    private static final String NOT_STARTED_FILL = "rgb(233, 235, 237)";

    @TempDir
    static Path scratch;

    private static RunningStack running;
    private static HeadlessChromium browser;

    @BeforeAll
    static void startStackAndBrowser() throws Exception {
        running = RunningStack.inMemory(scratch);
        browser = new HeadlessChromium();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (running != null) {
            running.close();
        }
    }

    @Test
    void completedOrder_showsHappyPathGreen_andNoCompensation() throws Exception {
        var orderId = runToFinal("order-completed.json", "COMPLETED");

        var states = openExecution(orderId, "completed");

        assertThat(states).containsEntry("RecordReceived", "succeeded")
                .containsEntry("ReserveInventory", "succeeded")
                .containsEntry("AuthorizePayment", "succeeded")
                .containsEntry("PersistFinalStatus", "succeeded")
                .containsEntry("OrderProcessed", "succeeded")
                .containsEntry("ReleaseInventory", "not-started")
                .containsEntry("VoidPayment", "not-started")
                .containsEntry("CompensateAfterFailure", "not-started");
        assertThat(fill("PersistFinalStatus")).isEqualTo(SUCCEEDED_FILL);
        assertThat(fill("VoidPayment")).isEqualTo(NOT_STARTED_FILL);
        assertHistoryRowsMatchTheApi(orderId, "ExecutionSucceeded");
        assertStoredVersions("RECEIVED", "COMPLETED");
    }

    @Test
    void declinedPayment_showsTheReleaseCompensationPathTaken() throws Exception {
        var orderId = runToFinal("order-payment-declined.json", "REJECTED");

        var states = openExecution(orderId, "rejected");

        assertThat(states).containsEntry("MergeResults", "succeeded")
                .containsEntry("NeedsCompensation", "succeeded")
                .containsEntry("ReleaseInventory", "succeeded")
                .containsEntry("VoidPayment", "not-started")
                .containsEntry("PersistFinalStatus", "succeeded");
        assertThat(browser.script("return !!document.querySelector("
                + "'g.edge.taken[data-from=\"NeedsCompensation\"][data-to=\"ReleaseInventory\"]');").asBoolean())
                .as("the Choice edge to ReleaseInventory is drawn as taken").isTrue();
        assertThat(fill("ReleaseInventory")).isEqualTo(SUCCEEDED_FILL);
        assertHistoryRowsMatchTheApi(orderId, "ExecutionSucceeded");
        assertStoredVersions("RECEIVED", "REJECTED");
    }

    @Test
    void gatewayError_showsFailedTask_caughtParallel_andCompensationThenFail() throws Exception {
        var orderId = runToFinal("order-payment-gateway-error.json", "FAILED");

        var states = openExecution(orderId, "failed");

        assertThat(states).containsEntry("AuthorizePayment", "failed")
                .containsEntry("ReserveAndAuthorize", "caught")
                .containsEntry("CompensateAfterFailure", "succeeded")
                .containsEntry("ReleaseReservation", "succeeded")
                .containsEntry("VoidAuthorization", "succeeded")
                .containsEntry("PersistFailed", "succeeded")
                .containsEntry("OrderFailed", "failed")
                .containsEntry("MergeResults", "not-started");
        assertThat(fill("AuthorizePayment")).isEqualTo(FAILED_FILL);
        assertThat(fill("ReserveAndAuthorize")).isEqualTo(CAUGHT_FILL);
        assertHistoryRowsMatchTheApi(orderId, "ExecutionFailed");
        assertStoredVersions("RECEIVED", "FAILED");

        // a history row expands to its JSON
        browser.script("document.querySelector('tr.event-row[data-type=\"ExecutionFailed\"]').click(); return true;");
        var detail = browser.script("const row = document.querySelector('tr.event-row[data-type=\"ExecutionFailed\"]');"
                + "const next = row.nextElementSibling; return next.hidden ? '' : next.textContent;").asText();
        assertThat(detail).contains("error").contains("OrderFailed");
    }

    @Test
    void jsonataExecution_showsItsStatesOutputAndAssignedVariables() throws Exception {
        var machine = running.sfn.createStateMachine(b -> b.name("jsonata-view")
                .roleArn("arn:aws:iam::000000000000:role/orderflow-local-workflow").definition("""
                        {"QueryLanguage":"JSONata","StartAt":"Total","States":{"Total":{"Type":"Pass",
                          "Assign":{"total":"{% $sum($states.input.items) %}","first":"{% $states.input.items[0] %}"},
                          "Output":{"count":"{% $count($states.input.items) %}"},"End":true}}}""")).stateMachineArn();
        var arn = running.sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"items\":[4,5,6]}")).executionArn();
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running.sfn.describeExecution(b -> b.executionArn(arn)).statusAsString().equals("RUNNING")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(arn, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelector('g.state-node')"
                + " && document.querySelector('tr.event-row[data-type=\"PassStateExited\"]')", PAGE_WAIT)).isTrue();
        assertThat(browser.script("return document.querySelector('g.state-node[data-state=\"Total\"]').dataset.status;")
                .asText()).isEqualTo("succeeded");
        browser.script("document.querySelector('tr.event-row[data-type=\"PassStateExited\"]').click(); return true;");
        var parts = browser.script("const detail = document.querySelector('tr.event-row[data-type=\"PassStateExited\"]')"
                + ".nextElementSibling; return Object.fromEntries([...detail.querySelectorAll('[data-part]')]"
                + ".map(p => [p.dataset.part, JSON.parse(p.querySelector('pre').textContent)]));");
        browser.screenshot(SCREENSHOTS.resolve("jsonata-execution.png"));

        assertThat(parts.path("output").path("count").asInt()).isEqualTo(3);
        assertThat(parts.path("assigned variables").path("total").asInt()).isEqualTo(15);
        assertThat(parts.path("assigned variables").path("first").asInt()).isEqualTo(4);
    }

    @Test
    void taskWaitingOnAToken_showsInProgressWaitingForCallback_untilTheWorkerAnswers() throws Exception {
        var activity = running.sfn.createActivity(b -> b.name("view-approval")).activityArn();
        var machine = running.sfn.createStateMachine(b -> b.name("callback-view")
                .roleArn("arn:aws:iam::000000000000:role/orderflow-local-workflow").definition("""
                        {"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"%s","HeartbeatSeconds":300,
                          "Next":"Done"},"Done":{"Type":"Succeed"}}}""".formatted(activity))).stateMachineArn();
        var arn = running.sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\":\"o-view\"}"))
                .executionArn();

        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(arn, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true'"
                + " && document.querySelector('g.state-node[data-state=\"Approve\"][data-waiting]')", PAGE_WAIT)).isTrue();
        assertThat(browser.script("return document.querySelector('#waiting tr.waiting-row').textContent;").asText())
                .contains("Approve").contains("waiting for a worker");

        // a worker takes the task: the page, refreshing while the execution runs, names it
        var task = running.sfn.getActivityTask(b -> b.activityArn(activity).workerName("clerk-7"));
        assertThat(browser.waitFor("(document.querySelector('#waiting tr.waiting-row') || {}).textContent"
                + " && document.querySelector('#waiting tr.waiting-row').textContent.includes('clerk-7')", PAGE_WAIT))
                .isTrue();
        var node = browser.script("const g = document.querySelector('g.state-node[data-state=\"Approve\"]');"
                + " return [g.dataset.status, g.dataset.waiting, g.querySelectorAll('text')[1].textContent];");
        assertThat(node.get(0).asText()).isEqualTo("in-progress");
        assertThat(node.get(1).asText()).isEqualTo("activity");
        assertThat(node.get(2).asText()).isEqualTo("Task · waiting for callback");
        browser.screenshot(SCREENSHOTS.resolve("waiting-for-callback.png"));

        running.sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"approved\":true}"));
        assertThat(browser.waitFor("document.body.dataset.executionStatus === 'SUCCEEDED'", PAGE_WAIT)).isTrue();
        assertThat(browser.script("return !document.getElementById('waiting')"
                + " && document.querySelector('g.state-node[data-state=\"Approve\"]').dataset.status;").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void redrivenExecution_showsItsRedriveCount_theRedrivePoint_andTheStateAsItEndedAfterTheRedrive() throws Exception {
        // the Pass state reads $$.Execution.RedriveTime, which only a redriven run has
        var machine = running.sfn.createStateMachine(b -> b.name("redrive-view")
                .roleArn("arn:aws:iam::000000000000:role/orderflow-local-workflow").definition("""
                        {"StartAt":"Stamp","States":{"Stamp":{"Type":"Pass",
                          "Parameters":{"redrivenAt.$":"$$.Execution.RedriveTime"},"End":true}}}""")).stateMachineArn();
        var arn = running.sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
        awaitNotRunning(arn);
        running.sfn.redriveExecution(b -> b.executionArn(arn));
        awaitNotRunning(arn);

        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(arn, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelector('g.state-node')"
                + " && document.querySelector('tr.redrive-row')", PAGE_WAIT)).isTrue();
        browser.screenshot(SCREENSHOTS.resolve("redriven-execution.png"));

        assertThat(browser.script("return document.body.dataset.executionStatus;").asText()).isEqualTo("SUCCEEDED");
        assertThat(browser.script("return document.querySelector('#redrives [data-count]').dataset.count;").asText())
                .isEqualTo("1");
        // the redrive point sits right before the ExecutionRedriven row, after the first attempt's failure
        var rows = browser.script("return [...document.querySelectorAll('#history tbody tr:not(.detail-row)')]"
                + ".map(r => r.classList.contains('redrive-row') ? 'REDRIVE' : r.dataset.type);");
        var types = new java.util.ArrayList<String>();
        rows.forEach(r -> types.add(r.asText()));
        assertThat(types).containsSubsequence("ExecutionFailed", "REDRIVE", "ExecutionRedriven", "PassStateEntered",
                "ExecutionSucceeded");
        assertThat(browser.script("return document.querySelector('g.state-node[data-state=\"Stamp\"]').dataset.status;")
                .asText()).isEqualTo("succeeded");

        browser.open(running.stack.apiEndpoint() + "/ui/");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelector('tr.execution-row')",
                PAGE_WAIT)).isTrue();
        assertThat(browser.script("const row = document.querySelector('tr.execution-row .redriven');"
                + " return row ? row.textContent.trim() : '';").asText()).isEqualTo("↻ 1");
    }

    private static void awaitNotRunning(String arn) throws InterruptedException {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running.sfn.describeExecution(b -> b.executionArn(arn)).statusAsString().equals("RUNNING")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void executionList_showsRunsNewestFirst_andFiltersByStatus() throws Exception {
        var completed = runToFinal("order-completed.json", "COMPLETED");
        var failed = runToFinal("order-payment-gateway-error.json", "FAILED");

        browser.open(running.stack.apiEndpoint() + "/ui/");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelectorAll('tr.execution-row').length >= 2", PAGE_WAIT)).isTrue();
        var names = browser.script("return [...document.querySelectorAll('tr.execution-row')].map(r => r.dataset.name);");
        assertThat(names.get(0).asText()).as("newest first").isEqualTo(failed);
        assertThat(names.toString()).contains(completed);

        browser.open(running.stack.apiEndpoint() + "/ui/?status=FAILED");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.getElementById('executions')", PAGE_WAIT)).isTrue();
        var statuses = browser.script("return [...document.querySelectorAll('tr.execution-row')].map(r => r.dataset.status);");
        assertThat(statuses).isNotEmpty().allSatisfy(s -> assertThat(s.asText()).isEqualTo("FAILED"));
        browser.screenshot(SCREENSHOTS.resolve("execution-list.png"));
    }

    private static String runToFinal(String payload, String expectedStatus) throws Exception {
        var orderId = running.accept(RunningStack.payload(payload), null);
        assertThat(running.awaitFinal(orderId).path("status").asText()).isEqualTo(expectedStatus);
        // the execution ends right after the final PersistOrder; wait for it to close
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running.sfn.describeExecution(b -> b.executionArn(running.executionArn(orderId))).statusAsString().equals("RUNNING")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return orderId;
    }

    /** Opens the execution page and returns each state's status as the page shows it. */
    private static Map<String, String> openExecution(String orderId, String screenshotName) throws Exception {
        var arn = running.executionArn(orderId);
        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(arn, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelector('g.state-node')"
                + " && document.querySelector('#versions tr.version-row')", PAGE_WAIT))
                .as("execution page rendered").isTrue();
        browser.screenshot(SCREENSHOTS.resolve(screenshotName + ".png"));
        JsonNode nodes = browser.script("return [...document.querySelectorAll('g.state-node')]"
                + ".map(g => [g.dataset.state, g.dataset.status]);");
        var states = new HashMap<String, String>();
        nodes.forEach(pair -> states.put(pair.get(0).asText(), pair.get(1).asText()));
        return states;
    }

    private static String fill(String state) throws Exception {
        return browser.script("return getComputedStyle(document.querySelector("
                + "'g.state-node[data-state=\"" + state + "\"] > rect')).fill;").asText();
    }

    private static void assertHistoryRowsMatchTheApi(String orderId, String lastType) throws Exception {
        var apiEvents = running.history(orderId);
        var rows = browser.script("return [...document.querySelectorAll('tr.event-row')].map(r => r.dataset.type);");
        assertThat(rows.size()).isEqualTo(apiEvents.size());
        assertThat(rows.get(0).asText()).isEqualTo("ExecutionStarted");
        assertThat(rows.get(rows.size() - 1).asText()).isEqualTo(lastType);
        for (int i = 0; i < apiEvents.size(); i++) {
            assertThat(rows.get(i).asText()).isEqualTo(apiEvents.get(i).typeAsString());
        }
    }

    private static void assertStoredVersions(String... statuses) throws Exception {
        var shown = browser.script("return [...document.querySelectorAll('#versions tr.version-row')].map(r => r.dataset.status);");
        assertThat(shown).extracting(JsonNode::asText).containsExactly(statuses);
    }
}
