package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * The execution view's Express run and Map Run pages in a real headless Chromium against the running local stack:
 * what a user sees of Express runs started by StartSyncExecution and StartExecution, and of a Distributed Map's Map
 * Run with its child executions (one of them failed), checked against what the Step Functions API answers.
 */
class ExecutionViewRunsBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "execution-view");
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    private static final String ROLE = "arn:aws:iam::000000000000:role/orderflow-local-workflow";
    /** As the page writes a date: ISO 8601 in UTC with milliseconds, a space for the T. */
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Refuses an item that says {@code fail}, and otherwise answers its number doubled. */
    private static final String REFUSE_OR_DOUBLE = """
            "StartAt":"Check","States":{
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.fail","IsPresent":true,"Next":"Refuse"}],"Default":"Double"},
              "Double":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"End":true},
              "Refuse":{"Type":"Fail","Error":"Item.Refused","Cause":"the item said fail"}}""";

    @TempDir
    static Path scratch;

    private static RunningStack running;
    private static HeadlessChromium browser;
    /** For StartSyncExecution, whose {@code sync-} host prefix the SDK is told not to add, as for any custom endpoint. */
    private static SfnClient syncSfn;

    @BeforeAll
    static void startStackAndBrowser() throws Exception {
        running = RunningStack.inMemory(scratch);
        browser = new HeadlessChromium();
        syncSfn = SfnClient.builder().endpointOverride(running.stack.sfnEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (syncSfn != null) {
            syncSfn.close();
        }
        if (browser != null) {
            browser.close();
        }
        if (running != null) {
            running.close();
        }
    }

    @Test
    void expressRuns_areListed_andShowWhatTheRunAnswered_withNoEventHistory() throws Exception {
        var machine = running.sfn.createStateMachine(b -> b.name("express-view").type(StateMachineType.EXPRESS)
                .roleArn(ROLE).definition("{" + REFUSE_OR_DOUBLE + "}")).stateMachineArn();
        StartSyncExecutionResponse doubled = syncSfn.startSyncExecution(b -> b.stateMachineArn(machine)
                .name("sync-doubled").input("{\"n\":21}"));
        StartSyncExecutionResponse refused = syncSfn.startSyncExecution(b -> b.stateMachineArn(machine)
                .name("sync-refused").input("{\"n\":1,\"fail\":true}"));
        var async = running.sfn.startExecution(b -> b.stateMachineArn(machine).name("async-doubled").input("{\"n\":4}"));
        assertThat(doubled.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(refused.statusAsString()).isEqualTo("FAILED");

        // the list: every Express run, newest first, marked Express; the status filter applies to them too
        browser.open(running.stack.apiEndpoint() + "/ui/");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true'"
                + " && document.querySelectorAll('tr.execution-row[data-type=\"EXPRESS\"]').length === 3"
                + " && document.querySelector('tr.execution-row[data-name=\"async-doubled\"]').dataset.status === 'SUCCEEDED'",
                PAGE_WAIT)).as("three Express runs listed, the async one ended").isTrue();
        assertThat(texts("return [...document.querySelectorAll('tr.execution-row[data-type=\"EXPRESS\"]')]"
                + ".map(r => r.dataset.name + ' ' + r.dataset.status);"))
                .containsExactly("async-doubled SUCCEEDED", "sync-refused FAILED", "sync-doubled SUCCEEDED");
        browser.screenshot(SCREENSHOTS.resolve("express-list.png"));
        browser.open(running.stack.apiEndpoint() + "/ui/?status=FAILED");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.getElementById('executions')",
                PAGE_WAIT)).isTrue();
        assertThat(texts("return [...document.querySelectorAll('tr.execution-row[data-type=\"EXPRESS\"]')]"
                + ".map(r => r.dataset.name);")).containsExactly("sync-refused");

        // a StartSyncExecution run: what StartSyncExecution answered, billing included, and why no events
        openExpress(doubled.executionArn());
        var figures = figures();
        assertThat(figures).containsEntry("status", "SUCCEEDED").containsEntry("started-by", "StartSyncExecution")
                .containsEntry("state-machine", "express-view")
                .containsEntry("started", SHOWN.format(doubled.startDate()))
                .containsEntry("ended", SHOWN.format(doubled.stopDate()))
                .containsEntry("billed-duration", doubled.billingDetails().billedDurationInMilliseconds() + " ms")
                .containsEntry("billed-memory", doubled.billingDetails().billedMemoryUsedInMB() + " MB");
        assertThat(json(browser.script("return document.getElementById('output').textContent;").asText()))
                .isEqualTo(json(doubled.output())).isEqualTo(json("{\"doubled\":42}"));
        assertThat(browser.script("return document.getElementById('no-history').textContent;").asText())
                .contains("Step Functions records no event history for Express executions")
                .contains("GetExecutionHistory answers InvalidArn")
                .contains("CloudWatch Logs");
        assertThat(browser.script("return document.querySelectorAll('tr.event-row, #history').length;").asInt())
                .as("no invented events").isZero();
        browser.screenshot(SCREENSHOTS.resolve("express-run.png"));

        openExpress(refused.executionArn());
        assertThat(figures()).containsEntry("status", "FAILED").containsEntry("error", "Item.Refused")
                .containsEntry("cause", refused.cause());
        assertThat(browser.script("return !document.getElementById('output');").asBoolean()).isTrue();

        // a StartExecution run: no billing details, since only StartSyncExecution answers with them
        openExpress(async.executionArn());
        assertThat(figures()).containsEntry("status", "SUCCEEDED").containsEntry("started-by", "StartExecution")
                .containsEntry("started", SHOWN.format(async.startDate()));
        assertThat(browser.script("return document.getElementById('billing').textContent;").asText())
                .contains("only StartSyncExecution answers with billing details");

        // a run no longer held is said so, as a page and as the JSON behind it
        var unknown = async.executionArn().substring(0, async.executionArn().lastIndexOf(':')) + ":00000000-0000";
        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(unknown, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.getElementById('express-gone')",
                PAGE_WAIT)).isTrue();
        var gone = running.get("/ui/express-executions?executionArn=" + URLEncoder.encode(unknown, StandardCharsets.UTF_8));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void mapRun_showsItsFigures_andPagesItsChildren_eachLinkingBackToTheMapRunAndParent() throws Exception {
        var machine = running.sfn.createStateMachine(b -> b.name("map-run-view").roleArn(ROLE).definition("""
                {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
                  "ToleratedFailureCount":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED",
                  "ExecutionType":"STANDARD"},%s},"End":true}}}""".formatted(REFUSE_OR_DOUBLE))).stateMachineArn();
        var parent = running.sfn.startExecution(b -> b.stateMachineArn(machine).name("fan-out")
                .input("{\"items\":[{\"n\":1},{\"n\":2,\"fail\":true},{\"n\":3}]}")).executionArn();
        awaitNotRunning(parent);
        var mapRunArn = running.sfn.listMapRuns(b -> b.executionArn(parent)).mapRuns().getFirst().mapRunArn();
        var described = running.sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        List<ExecutionListItem> children = running.sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
        var failedChild = children.stream().filter(c -> c.status() == ExecutionStatus.FAILED).findFirst().orElseThrow();
        assertThat(described.executionCounts().failed()).isEqualTo(1);

        // the parent links to its Map Run, from its Map Runs panel and from its MapRunStarted event
        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(parent, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelector('#map-runs tr.map-run-row')",
                PAGE_WAIT)).isTrue();
        JsonNode row = browser.script("const row = document.querySelector('#map-runs tr.map-run-row');"
                + " return [row.dataset.mapRun, row.dataset.status, row.textContent];");
        assertThat(row.get(0).asText()).isEqualTo(mapRunArn);
        assertThat(row.get(1).asText()).isEqualTo("SUCCEEDED");
        assertThat(row.get(2).asText()).contains("2 succeeded · 1 failed · 3 in all");
        // its item processor's states run in the children, so the parent's graph gives them no status of its own
        assertThat(browser.script("return [...document.querySelectorAll('g.state-node')].map(g => g.dataset.state + ' '"
                + " + g.dataset.status).sort();").toString()).isEqualTo("[\"Check in-child-executions\","
                + "\"Double in-child-executions\",\"Fan succeeded\",\"Refuse in-child-executions\"]");
        var mapRunHref = "/ui/map-runs/" + URLEncoder.encode(mapRunArn, StandardCharsets.UTF_8);
        assertThat(browser.script("return document.querySelector('tr.event-row[data-type=\"MapRunStarted\"] a.map-run-link')"
                + ".getAttribute('href');").asText()).isEqualTo(mapRunHref);
        browser.screenshot(SCREENSHOTS.resolve("map-run-parent.png"));

        // the Map Run page: DescribeMapRun's figures and counts
        browser.open(running.stack.apiEndpoint() + mapRunHref + "?pageSize=2");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.querySelector('tr.child-row')",
                PAGE_WAIT)).isTrue();
        assertThat(figures()).containsEntry("status", "SUCCEEDED").containsEntry("parent", "fan-out")
                .containsEntry("max-concurrency", "2").containsEntry("results-written", "3")
                .containsEntry("tolerated-failure-percentage", "0 %").containsEntry("tolerated-failure-count", "1")
                .containsEntry("started", SHOWN.format(described.startDate()))
                .containsEntry("ended", SHOWN.format(described.stopDate()));
        var counts = browser.script("return Object.fromEntries([...document.querySelectorAll('tr.count-row')].map(r =>"
                + " [r.dataset.count, [+r.querySelector('[data-items]').dataset.items,"
                + " +r.querySelector('[data-executions]').dataset.executions]]));");
        assertThat(counts.path("succeeded").toString()).isEqualTo("[" + described.itemCounts().succeeded() + ","
                + described.executionCounts().succeeded() + "]").isEqualTo("[2,2]");
        assertThat(counts.path("failed").toString()).isEqualTo("[1,1]");
        assertThat(counts.path("total").toString()).isEqualTo("[3,3]");
        assertThat(counts.path("pending").toString()).isEqualTo("[0,0]");
        browser.screenshot(SCREENSHOTS.resolve("map-run.png"));

        // its children, two a page: page 1, then Next, then no further page; together they are ListExecutions' answer
        var seen = new ArrayList<>(childRows());
        assertThat(seen).hasSize(2);
        browser.script("document.getElementById('next-page').click(); return true;");
        assertThat(browser.waitFor("document.getElementById('page-number').textContent === 'page 2'", PAGE_WAIT)).isTrue();
        assertThat(browser.script("return [document.getElementById('next-page').disabled,"
                + " document.getElementById('previous-page').disabled];").toString()).isEqualTo("[true,false]");
        seen.addAll(childRows());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(children.stream().map(c -> c.name() + " " + c.statusAsString())
                .toList());
        // the status filter asks ListExecutions for the failed ones only
        browser.script("const s = document.getElementById('child-status-filter'); s.value = 'FAILED';"
                + " s.dispatchEvent(new Event('change')); return true;");
        assertThat(browser.waitFor("document.getElementById('page-number').textContent === 'page 1'"
                + " && document.querySelectorAll('tr.child-row').length === 1", PAGE_WAIT)).isTrue();
        assertThat(childRows()).containsExactly(failedChild.name() + " FAILED");

        // the failed child: its own execution page, its failed state, links back to the Map Run and the parent
        browser.script("document.querySelector('tr.child-row a').click(); return true;");
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && location.pathname.includes('/executions/')"
                + " && document.querySelector('g.state-node[data-state=\"Refuse\"]')", PAGE_WAIT)).isTrue();
        assertThat(browser.script("return document.body.dataset.executionStatus;").asText()).isEqualTo("FAILED");
        assertThat(browser.script("return document.querySelector('g.state-node[data-state=\"Refuse\"]').dataset.status;")
                .asText()).isEqualTo("failed");
        assertThat(browser.script("return document.getElementById('map-run-link').getAttribute('href');").asText())
                .isEqualTo(mapRunHref);
        assertThat(browser.script("return document.getElementById('parent-link').getAttribute('href');").asText())
                .isEqualTo("/ui/executions/" + URLEncoder.encode(parent, StandardCharsets.UTF_8));
        assertThat(browser.script("return !document.getElementById('order');").asBoolean())
                .as("a Map Run child is no order: no stored-order panel").isTrue();
        browser.screenshot(SCREENSHOTS.resolve("map-run-failed-child.png"));
    }

    private static void openExpress(String arn) throws Exception {
        browser.open(running.stack.apiEndpoint() + "/ui/executions/" + URLEncoder.encode(arn, StandardCharsets.UTF_8));
        assertThat(browser.waitFor("document.body.dataset.ready === 'true' && document.getElementById('no-history')"
                + " && document.querySelector('[data-figure=\"status\"]')", PAGE_WAIT)).as("Express page of %s", arn).isTrue();
    }

    /** The summary's figures as the page shows them, by name. */
    private static Map<String, String> figures() throws Exception {
        JsonNode shown = browser.script("return [...document.querySelectorAll('[data-figure]')].map(f =>"
                + " [f.dataset.figure, f.textContent.replace(f.querySelector('span').textContent, '').trim()]);");
        var figures = new HashMap<String, String>();
        shown.forEach(pair -> figures.put(pair.get(0).asText(), pair.get(1).asText()));
        return figures;
    }

    private static List<String> childRows() throws Exception {
        return texts("return [...document.querySelectorAll('tr.child-row')].map(r => r.dataset.name + ' ' + r.dataset.status);");
    }

    private static List<String> texts(String script) throws Exception {
        var list = new ArrayList<String>();
        browser.script(script).forEach(n -> list.add(n.asText()));
        return list;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    private static void awaitNotRunning(String arn) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (running.sfn.describeExecution(b -> b.executionArn(arn)).statusAsString().equals("RUNNING")
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }
}
