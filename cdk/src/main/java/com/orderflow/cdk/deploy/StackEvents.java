package com.orderflow.cdk.deploy;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/** Prints a stack's new events as progress lines, oldest first, each once. */
final class StackEvents {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final CloudFormationClient cloudFormation;
    private final String stackId;
    private final String stackName;
    private final PrintStream out;
    private final Set<String> seen = new HashSet<>();
    private final List<StackEvent> printed = new ArrayList<>();

    StackEvents(CloudFormationClient cloudFormation, String stackId, String stackName, PrintStream out) {
        this.cloudFormation = cloudFormation;
        this.stackId = stackId;
        this.stackName = stackName;
        this.out = out;
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
            out.println("  " + format(event));
        }
        return fresh;
    }

    /** Whether a new event shows the stack itself reaching {@code status}. */
    boolean stackReached(String status) {
        return printed.stream().anyMatch(e -> isStackItself(e) && status.equals(e.resourceStatusAsString()));
    }

    /** The first failure reason among the new events, which is usually the cause (later ones are consequences). */
    String firstFailure() {
        return printed.stream()
                .filter(e -> e.resourceStatusAsString() != null && e.resourceStatusAsString().endsWith("_FAILED"))
                .filter(e -> e.resourceStatusReason() != null && !e.resourceStatusReason().isBlank())
                .map(e -> e.logicalResourceId() + ": " + e.resourceStatusReason())
                .findFirst()
                .orElse(null);
    }

    private boolean isStackItself(StackEvent e) {
        return "AWS::CloudFormation::Stack".equals(e.resourceType())
                && (stackName.equals(e.logicalResourceId()) || stackId.equals(e.physicalResourceId()));
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

    static String format(StackEvent e) {
        var time = e.timestamp() == null ? "--:--:--" : TIME.format(e.timestamp());
        var line = String.format("%s  %-40s %-36s %s", time, e.logicalResourceId(), e.resourceType(),
                e.resourceStatusAsString());
        var reason = e.resourceStatusReason();
        return reason == null || reason.isBlank() ? line : line + "  " + reason;
    }
}
