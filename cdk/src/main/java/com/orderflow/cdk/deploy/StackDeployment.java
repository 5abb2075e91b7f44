package com.orderflow.cdk.deploy;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Deploys, previews and deletes one CloudFormation stack through change sets, printing progress as it goes. */
public final class StackDeployment {

    /** CloudFormation's limit for a TemplateBody passed inline; larger templates must come from S3. */
    public static final int INLINE_TEMPLATE_LIMIT = 51_200;
    /** Change sets this deployer creates start with this, so stale ones can be told from others'. */
    static final String CHANGE_SET_PREFIX = "orderflow-";
    private static final Duration MAX_WAIT = Duration.ofHours(2);
    private static final List<Capability> CAPABILITIES =
            List.of(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND);

    private final CloudFormationClient cloudFormation;
    private final S3Client s3;
    private final String assetsBucket;
    private final String stackName;
    private final Duration pollInterval;
    private final PrintStream out;

    /**
     * @param assetsBucket where a template over the inline limit is uploaded; null for a delete, or for a template
     *                     known to travel inline (the toolkit's)
     */
    public StackDeployment(CloudFormationClient cloudFormation, S3Client s3, String assetsBucket, String stackName,
                           Duration pollInterval, PrintStream out) {
        this.cloudFormation = cloudFormation;
        this.s3 = s3;
        this.assetsBucket = assetsBucket;
        this.stackName = stackName;
        this.pollInterval = pollInterval;
        this.out = out;
    }

    /** What a deploy ended with. */
    public sealed interface Result {
        /** The change set held no changes; nothing was executed. */
        record NoChanges() implements Result { }

        /**
         * The stack reached {@code status}.
         *
         * @param status  CREATE_COMPLETE or UPDATE_COMPLETE
         * @param outputs the stack outputs, by key
         * @param stackId the stack's ARN
         * @param elapsed from executing the change set to the stack settling
         */
        record Deployed(String status, Map<String, String> outputs, String stackId, Duration elapsed) implements Result { }
    }

    /** The stack as it is now, if it exists. */
    public Optional<Stack> find() {
        return describe(stackName);
    }

    private Optional<Stack> describe(String nameOrId) {
        try {
            return cloudFormation.describeStacks(b -> b.stackName(nameOrId)).stacks().stream().findFirst();
        } catch (CloudFormationException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates or updates the stack from {@code templateBody} and waits for the outcome. */
    public Result deploy(String templateBody) {
        var existing = find();
        if (existing.isPresent()) {
            var stack = existing.get();
            var status = stack.stackStatusAsString();
            if ("ROLLBACK_COMPLETE".equals(status)) {
                out.println("Stack " + stackName + " is in ROLLBACK_COMPLETE (its first creation failed and cannot be"
                        + " updated): deleting it, then creating it again");
                delete(stack.stackId());
                existing = Optional.empty();
            } else {
                requireSettled(status);
            }
        }
        var create = existing.isEmpty() || "REVIEW_IN_PROGRESS".equals(existing.get().stackStatusAsString());
        if (existing.isPresent()) {
            deleteStaleChangeSets();
        }
        var changeSetName = CHANGE_SET_PREFIX + "deploy-" + Instant.now().toEpochMilli();
        var type = create ? ChangeSetType.CREATE : ChangeSetType.UPDATE;
        out.println((create ? "Creating" : "Updating") + " stack " + stackName + ": creating change set " + changeSetName);
        var created = createChangeSet(type, changeSetName, templateBody);
        var changeSet = awaitChangeSet(created.id());
        if (isEmpty(changeSet)) {
            cloudFormation.deleteChangeSet(b -> b.changeSetName(created.id()));
            out.println("no changes: stack " + stackName + " is up to date");
            return new Result.NoChanges();
        }
        var changeCount = countChanges(created.id(), changeSet);
        out.println("Change set ready (" + changeCount + " resource changes): executing");
        var events = new StackEvents(cloudFormation, created.stackId(), stackName, out, changeCount + 1);
        events.skipExisting();
        var started = System.nanoTime();
        cloudFormation.executeChangeSet(b -> b.changeSetName(created.id()));
        var finalStatus = awaitStack(created.stackId(), events);
        var elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (!finalStatus.equals(create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE")) {
            var cause = events.firstFailure();
            events.firstFailureEvent().ifPresent(e -> {
                out.println("Failed resource (the first; later failures follow from it):");
                out.println("  " + events.format(e));
            });
            var next = "UPDATE_ROLLBACK_FAILED".equals(finalStatus)
                    ? ": the rollback failed too; run `aws cloudformation continue-update-rollback --stack-name " + stackName
                            + "` (or use the console), fix the cause, then run the deploy again"
                    : ": fix the cause shown in the events above and run the deploy again";
            throw new DeployException("Deploy failed: stack " + stackName + " is " + finalStatus
                    + (cause == null ? "" : " (first failure: " + cause + ")") + next);
        }
        var stack = describe(created.stackId()).orElseThrow();
        var outputs = new LinkedHashMap<String, String>();
        stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        return new Result.Deployed(finalStatus, outputs, stack.stackId(), elapsed);
    }

    /** Prints what a deploy of {@code templateBody} would change, without changing anything. */
    public void diff(String templateBody, Template template) {
        // a stack never created (REVIEW_IN_PROGRESS) or whose creation failed (ROLLBACK_COMPLETE: deploy deletes it
        // first) holds nothing a change set could compare with
        var existing = find().filter(s -> !"REVIEW_IN_PROGRESS".equals(s.stackStatusAsString())
                && !"ROLLBACK_COMPLETE".equals(s.stackStatusAsString()));
        if (existing.isEmpty()) {
            // a CREATE change set would leave an empty REVIEW_IN_PROGRESS stack behind: read the template instead
            out.println("Stack " + stackName + " does not exist yet: a deploy creates all "
                    + template.resources().size() + " resources");
            printHeader();
            template.resources().forEach(r -> printChange("Add", r.logicalId(), r.type(), null));
            return;
        }
        requireSettled(existing.get().stackStatusAsString());
        deleteStaleChangeSets();
        var changeSetName = CHANGE_SET_PREFIX + "diff-" + Instant.now().toEpochMilli();
        out.println("Comparing with deployed stack " + stackName + " (change set " + changeSetName + ")");
        var created = createChangeSet(ChangeSetType.UPDATE, changeSetName, templateBody);
        try {
            var changeSet = awaitChangeSet(created.id());
            if (isEmpty(changeSet)) {
                out.println("no changes");
                return;
            }
            var changes = allChanges(created.id(), changeSet);
            out.println(changes.size() + " resource changes:");
            printHeader();
            for (var change : changes) {
                var rc = change.resourceChange();
                if (rc != null) {
                    printChange(rc.actionAsString(), rc.logicalResourceId(), rc.resourceType(), rc.replacementAsString());
                }
            }
        } finally {
            cloudFormation.deleteChangeSet(b -> b.changeSetName(created.id()));
        }
    }

    /**
     * Deletes the stack, streaming its events; returns the resources it leaves in the account (DeletionPolicy
     * Retain), with their physical ids where known.
     */
    public List<String> destroy() {
        var stack = find().orElseThrow();
        requireSettled(stack.stackStatusAsString());
        var retained = new ArrayList<String>();
        var physicalIds = new LinkedHashMap<String, String>();
        for (StackResource resource : cloudFormation.describeStackResources(b -> b.stackName(stack.stackId())).stackResources()) {
            physicalIds.put(resource.logicalResourceId(), resource.physicalResourceId());
        }
        var body = cloudFormation.getTemplate(b -> b.stackName(stack.stackId()).templateStage(TemplateStage.PROCESSED))
                .templateBody();
        for (var resource : Template.parse(body).retained()) {
            var physical = physicalIds.get(resource.logicalId());
            retained.add(resource.logicalId() + " (" + resource.type() + ")" + (physical == null ? "" : " " + physical));
        }
        delete(stack.stackId());
        return retained;
    }

    private void delete(String stackId) {
        var events = new StackEvents(cloudFormation, stackId, stackName, out, 0);
        events.skipExisting();
        out.println("Deleting stack " + stackName);
        cloudFormation.deleteStack(b -> b.stackName(stackId));
        var status = awaitStack(stackId, events);
        if (!"DELETE_COMPLETE".equals(status)) {
            var cause = events.firstFailure();
            throw new DeployException("Deleting stack " + stackName + " failed: it is " + status
                    + (cause == null ? "" : " (" + cause + ")")
                    + ": empty or remove the resource named above, then run the destroy again");
        }
    }

    private void requireSettled(String status) {
        if (status.endsWith("_IN_PROGRESS") && !"REVIEW_IN_PROGRESS".equals(status)) {
            throw new DeployException("Stack " + stackName + " is busy (" + status + "): wait until it finishes"
                    + " (watch it in the CloudFormation console), then run again");
        }
        if ("UPDATE_ROLLBACK_FAILED".equals(status)) {
            throw new DeployException("Stack " + stackName + " is UPDATE_ROLLBACK_FAILED: run `aws cloudformation"
                    + " continue-update-rollback --stack-name " + stackName + "` (or use the console), then run again");
        }
        if ("ROLLBACK_FAILED".equals(status) || "DELETE_FAILED".equals(status)) {
            throw new DeployException("Stack " + stackName + " is " + status + ": delete it with `mvn -Pdestroy"
                    + " -Dstage=...` (removing the resource that blocks deletion), then run again");
        }
    }

    private CreateChangeSetResponse createChangeSet(ChangeSetType type, String name, String templateBody) {
        var request = changeSetRequest(type, name, templateBody);
        try {
            return cloudFormation.createChangeSet(request);
        } catch (CloudFormationException e) {
            if (request.templateURL() == null) {
                throw e;
            }
            // CloudFormation reads the template itself: a URL it cannot resolve is an addressing problem, not IAM's
            throw new DeployException("CloudFormation could not read the template at " + request.templateURL() + " ("
                    + e.statusCode() + " " + errorMessage(e) + "): the URL is the S3 client's own for that object, so"
                    + " CloudFormation must reach that S3 at the same address; a local emulator may read path-style URLs"
                    + " only on some hosts (moto: only on localhost, so use AWS_ENDPOINT_URL=http://localhost:<port>)", e);
        }
    }

    private static String errorMessage(CloudFormationException e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.getMessage()) : e.awsErrorDetails().errorMessage();
    }

    private CreateChangeSetRequest changeSetRequest(ChangeSetType type, String name, String templateBody) {
        var request = CreateChangeSetRequest.builder()
                .stackName(stackName)
                .changeSetName(name)
                .changeSetType(type)
                .capabilities(CAPABILITIES)
                .description("orderflow deployer");
        var bytes = templateBody.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= INLINE_TEMPLATE_LIMIT) {
            request.templateBody(templateBody);
        } else {
            request.templateURL(uploadTemplate(bytes));
        }
        return request.build();
    }

    /** Puts a template too large to pass inline into the assets bucket, keyed by its hash. */
    private String uploadTemplate(byte[] bytes) {
        var key = ToolkitTemplate.TEMPLATE_PREFIX + stackName + "-" + sha256(bytes) + ".json";
        out.println("Template is " + AssetPublisher.humanSize(bytes.length) + " (over the " + INLINE_TEMPLATE_LIMIT
                + " byte inline limit): uploading it to s3://" + assetsBucket + "/" + key);
        try {
            s3.putObject(b -> b.bucket(assetsBucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        } catch (S3Exception e) {
            throw new DeployException("Uploading the template to s3://" + assetsBucket + "/" + key + " failed ("
                    + e.statusCode() + " " + AssetPublisher.errorCode(e) + "): run `mvn -Pbootstrap` and check"
                    + " s3:PutObject permission", e);
        }
        return s3.utilities().getUrl(b -> b.bucket(assetsBucket).key(key)).toExternalForm();
    }

    private void deleteStaleChangeSets() {
        String token = null;
        do {
            var next = token;
            var page = cloudFormation.listChangeSets(b -> b.stackName(stackName).nextToken(next));
            for (var summary : page.summaries()) {
                // an executed change set is history, not a leftover (AWS stops listing it; some emulators do not)
                var executed = summary.executionStatus() == ExecutionStatus.EXECUTE_COMPLETE
                        || summary.executionStatus() == ExecutionStatus.EXECUTE_IN_PROGRESS;
                // AWS lists only this stack's; some emulators (moto) list every stack's, the toolkit's among them
                var ofThisStack = summary.stackName() == null || summary.stackName().equals(stackName);
                if (summary.changeSetName().startsWith(CHANGE_SET_PREFIX) && !executed && ofThisStack) {
                    out.println("Deleting stale change set " + summary.changeSetName() + " (left by an earlier run)");
                    cloudFormation.deleteChangeSet(b -> b.changeSetName(summary.changeSetId()));
                }
            }
            token = page.nextToken();
        } while (token != null);
    }

    private DescribeChangeSetResponse awaitChangeSet(String changeSetId) {
        var deadline = Instant.now().plus(MAX_WAIT);
        String lastStatus = null;
        while (true) {
            var changeSet = cloudFormation.describeChangeSet(b -> b.changeSetName(changeSetId));
            var status = changeSet.statusAsString();
            if (!status.equals(lastStatus)) {
                out.println("  change set " + status);
                lastStatus = status;
            }
            if (changeSet.status() == ChangeSetStatus.CREATE_COMPLETE) {
                return changeSet;
            }
            if (changeSet.status() == ChangeSetStatus.FAILED) {
                if (isEmpty(changeSet)) {
                    return changeSet;
                }
                cloudFormation.deleteChangeSet(b -> b.changeSetName(changeSetId));
                throw new DeployException("CloudFormation rejected the change set: " + changeSet.statusReason()
                        + ": fix the template (mvn -Psynth shows it in cdk/cdk.out) and run again");
            }
            pause(deadline, "the change set");
        }
    }

    /** CloudFormation reports "nothing to do" as a FAILED change set with one of these reasons. */
    private static boolean isEmpty(DescribeChangeSetResponse changeSet) {
        var reason = changeSet.statusReason() == null ? "" : changeSet.statusReason();
        return changeSet.status() == ChangeSetStatus.FAILED
                && (reason.contains("didn't contain changes") || reason.contains("No updates are to be performed"));
    }

    private List<Change> allChanges(String changeSetId, DescribeChangeSetResponse first) {
        var changes = new ArrayList<>(first.changes());
        var token = first.nextToken();
        while (token != null) {
            var next = token;
            var page = cloudFormation.describeChangeSet(b -> b.changeSetName(changeSetId).nextToken(next));
            changes.addAll(page.changes());
            token = page.nextToken();
        }
        return changes;
    }

    private int countChanges(String changeSetId, DescribeChangeSetResponse first) {
        return allChanges(changeSetId, first).size();
    }

    /**
     * Polls until the stack settles, printing its events. A settled status only counts once an event of this
     * operation shows it (or the stack was seen in progress), so a status read just before the operation took
     * effect is not mistaken for its end.
     */
    private String awaitStack(String stackId, StackEvents events) {
        var deadline = Instant.now().plus(MAX_WAIT);
        var sawInProgress = false;
        while (true) {
            events.printNew();
            var status = describe(stackId).map(Stack::stackStatusAsString).orElse("DELETE_COMPLETE");
            if (status.endsWith("_IN_PROGRESS")) {
                sawInProgress = true;
            } else {
                events.printNew();
                if (sawInProgress || events.stackReached(status)) {
                    return status;
                }
            }
            pause(deadline, "stack " + stackName);
        }
    }

    private void pause(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new DeployException("Gave up waiting for " + what + " after " + MAX_WAIT.toMinutes()
                    + " minutes: check the CloudFormation console");
        }
        try {
            Thread.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("Interrupted while waiting for " + what + ": it goes on in AWS; check the"
                    + " CloudFormation console");
        }
    }

    private void printHeader() {
        out.println(String.format("  %-8s %-40s %-36s %s", "ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT"));
    }

    private void printChange(String action, String logicalId, String type, String replacement) {
        out.println(String.format("  %-8s %-40s %-36s %s", action, logicalId, type,
                replacement == null ? "-" : replacement));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
