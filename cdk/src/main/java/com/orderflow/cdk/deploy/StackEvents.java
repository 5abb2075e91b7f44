package com.orderflow.cdk.deploy;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/**
 * Prints a stack's new events as progress lines, oldest first, each once, the way {@code cdk deploy} does:
 * {@code orderflow-dev | 3/45 | 10:22:01 | CREATE_COMPLETE | AWS::S3::Bucket | StorageOrders79EED263 reason}.
 */
final class StackEvents {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final CloudFormationClient cloudFormation;
    private final String stackId;
    private final String stackName;
    private final PrintStream out;
    private final int total;
    private final Set<String> seen = new HashSet<>();
    private final List<StackEvent> printed = new ArrayList<>();
    private int done;

    /**
     * @param total how many resources the operation touches, the stack itself included, for the {@code done/total}
     *              column; 0 when unknown (a delete), which leaves the column out
     */
    StackEvents(CloudFormationClient cloudFormation, String stackId, String stackName, PrintStream out, int total) {
        this.cloudFormation = cloudFormation;
        this.stackId = stackId;
        this.stackName = stackName;
        this.out = out;
        this.total = total;
    }

    /** Marks the events that exist now as old, so only what the coming operation causes is printed. */
    void skipExisting() {
        fetchNew().forEach(e -> seen.add(e.eventId()));
    }

    /** Prints events not printed yet; returns them, oldest first. */
    List<StackEvent> printNew() {
        var fresh = fetchNew().reversed();
        for (var event : fresh) {
            seen.add(event.eventId());
            printed.add(event);
            if (finishes(event)) {
                done++;
            }
            out.println(format(event));
        }
        return fresh;
    }

    /** Whether a new event shows the stack itself reaching {@code status}. */
    boolean stackReached(String status) {
        return printed.stream().anyMatch(e -> isStackItself(e) && status.equals(e.resourceStatusAsString()));
    }

    /** The first failure among the new events, which is usually the cause (later ones are consequences). */
    Optional<StackEvent> firstFailureEvent() {
        return printed.stream()
                .filter(e -> e.resourceStatusAsString() != null && e.resourceStatusAsString().endsWith("_FAILED"))
                .filter(e -> e.resourceStatusReason() != null && !e.resourceStatusReason().isBlank())
                .findFirst();
    }

    /** The first failure as "logical id: reason", or null. */
    String firstFailure() {
        return firstFailureEvent().map(e -> e.logicalResourceId() + ": " + e.resourceStatusReason()).orElse(null);
    }

    private boolean isStackItself(StackEvent e) {
        return "AWS::CloudFormation::Stack".equals(e.resourceType())
                && (stackName.equals(e.logicalResourceId()) || stackId.equals(e.physicalResourceId()));
    }

    /** A resource (or the stack) is through with this operation: counted once per resource, as cdk does. */
    private static boolean finishes(StackEvent e) {
        var status = String.valueOf(e.resourceStatusAsString());
        return (status.endsWith("_COMPLETE") || status.endsWith("_SKIPPED")) && !status.contains("CLEANUP");
    }

    /** New events, newest first as the API returns them; stops paging at the first one already seen. */
    private List<StackEvent> fetchNew() {
        var fresh = new ArrayList<StackEvent>();
        String token = null;
        do {
            var next = token;
            var page = cloudFormation.describeStackEvents(b -> b.stackName(stackId).nextToken(next));
            for (var event : page.stackEvents()) {
                if (seen.contains(event.eventId())) {
                    return fresh;
                }
                fresh.add(event);
            }
            token = page.nextToken();
        } while (token != null);
        return fresh;
    }

    String format(StackEvent e) {
        var time = e.timestamp() == null ? "--:--:--" : TIME.format(e.timestamp());
        var progress = total > 0 ? String.format(" | %" + (2 * digits(total) + 1) + "s", Math.min(done, total) + "/" + total) : "";
        var line = String.format("%s%s | %s | %-26s | %-36s | %s", stackName, progress, time,
                e.resourceStatusAsString(), e.resourceType(), e.logicalResourceId());
        var reason = e.resourceStatusReason();
        return reason == null || reason.isBlank() ? line : line + " " + reason;
    }

    private static int digits(int n) {
        return String.valueOf(n).length();
    }
}
