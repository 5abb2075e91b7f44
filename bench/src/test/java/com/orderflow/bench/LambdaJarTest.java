package com.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Lambda jar as it is deployed, not the module's class path: every handler, in a fresh JVM on the jar alone,
 * primed as SnapStart would and unprimed, answers its events and its call to S3 or Step Functions (a loopback
 * endpoint). What the shade plugin leaves out of the jar is what no handler loads; a class one needed would fail here.
 */
class LambdaJarTest {

    private static final Path ROOT = LocalStackBenchmark.rootFrom(new String[0]);
    /**
     * At most 12 MB (issue 19), counted as AWS counts Lambda's package quotas (1 MB = 1,048,576 bytes): Lambda unzips
     * the jar at each cold start before a snapshot exists.
     */
    private static final long MAX_JAR_BYTES = 12L * 1024 * 1024;

    /** What each handler's first event and its AWS-calling event answer, by the benchmark's subject name. */
    private static final Map<String, String> EXPECTED = Map.of(
            "ValidateOrder", "ValidationResult/-",
            "ReserveInventory", "InventoryResult/-",
            "ReleaseInventory", "ReleaseResult/-",
            "AuthorizePayment", "PaymentResult/-",
            "VoidPayment", "VoidResult/-",
            "MergeResults", "OrderOutcome/-",
            "PersistOrder (S3 PutObject)", "-/PersistOrderResult",
            "Api (400; GET order: S3 GetObject)", "HTTP400/HTTP200");

    @Test
    void everyHandlerRunsFromTheJarAlone_primedAndUnprimed() throws Exception {
        var coldStarts = new ColdStartBenchmark(ROOT, 1, 2);
        assertThat(Files.size(coldStarts.lambdaJar())).isLessThanOrEqualTo(MAX_JAR_BYTES);
        var answered = new TreeMap<String, String>();
        try (var aws = new LoopbackAws(ROOT)) {
            for (var measured : coldStarts.run(aws, line -> { })) {
                for (var run : measured.unprimed()) {
                    answered.put(measured.subject().name(), run.firstResult() + "/" + run.callResult());
                }
                for (var run : measured.primed()) {
                    answered.put(measured.subject().name() + " primed", run.firstResult() + "/" + run.callResult());
                }
            }
        }
        var expected = new TreeMap<String, String>();
        EXPECTED.forEach((name, answers) -> {
            expected.put(name, answers);
            expected.put(name + " primed", answers);
        });
        assertThat(answered).isEqualTo(expected);
    }
}
