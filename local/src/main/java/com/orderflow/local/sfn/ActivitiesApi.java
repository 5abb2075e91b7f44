package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.run.Callbacks;
import com.orderflow.local.store.WorkflowStore;
import com.orderflow.local.store.WorkflowStore.DocumentKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Activities: CreateActivity, DescribeActivity, ListActivities, DeleteActivity, kept in the store, and
 * GetActivityTask, the long poll of workers for the tasks that Task states with an activity ARN queue.
 */
final class ActivitiesApi {

    /** AWS holds a GetActivityTask open for up to 60 seconds, then answers without a task. */
    static final Duration AWS_POLL = Duration.ofSeconds(60);

    private record Activity(String arn, String name, Instant creationDate) {
    }

    private final StatesArns arns;
    private final WorkflowStore store;
    private final Clock clock;
    private final Callbacks callbacks;
    private final Duration poll;
    private final ResourceTags tags;
    /** By ARN, in creation order (guarded by this). */
    private final Map<String, Activity> activities = new LinkedHashMap<>();

    ActivitiesApi(StatesArns arns, WorkflowStore store, Clock clock, Callbacks callbacks, Duration poll,
                  ResourceTags tags) {
        this.arns = arns;
        this.store = store;
        this.clock = clock;
        this.callbacks = callbacks;
        this.poll = poll;
        this.tags = tags;
        for (JsonNode d : store.documents(DocumentKind.ACTIVITY)) {
            apply(d);
        }
    }

    /** CreateActivity is idempotent by name: a second create answers the first one's ARN and date. */
    ObjectNode create(ActionRequest request) {
        var name = ResourceNames.require(request.requiredString("name"));
        var arn = arn(name);
        Activity activity;
        synchronized (this) {
            activity = activities.get(arn);
            if (activity == null) {
                activity = new Activity(arn, name, clock.instant());
                var document = object().put("arn", arn).put("name", name)
                        .put("creationDate", activity.creationDate().toString()).put("deleted", false);
                store.saveDocument(DocumentKind.ACTIVITY, document);
                activities.put(arn, activity);
                tags.tag(arn, StateMachinesApi.tagList(request.body().get("tags")));
            }
        }
        var response = object().put("activityArn", arn);
        response.set("creationDate", epochSeconds(activity.creationDate()));
        return response;
    }

    ObjectNode describe(ActionRequest request) {
        var activity = existing(request.requiredString("activityArn"));
        var response = object().put("activityArn", activity.arn()).put("name", activity.name());
        response.set("creationDate", epochSeconds(activity.creationDate()));
        return response;
    }

    ObjectNode list(ActionRequest request) {
        ArrayList<Activity> all;
        synchronized (this) {
            all = new ArrayList<>(activities.values());
        }
        all.sort(Comparator.comparing(Activity::name));
        var page = NextTokens.page(all, Activity::name, "ListActivities", request.string("nextToken"),
                request.maxResults());
        var response = object();
        var items = response.putArray("activities");
        for (var a : page.items()) {
            items.addObject().put("activityArn", a.arn()).put("name", a.name())
                    .set("creationDate", epochSeconds(a.creationDate()));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    /** Deletes an activity (no error when there is none, as on AWS); its queued tasks wait until they time out. */
    ObjectNode delete(ActionRequest request) {
        var arn = request.requiredString("activityArn");
        requireArn(arn);
        synchronized (this) {
            if (activities.containsKey(arn)) {
                store.saveDocument(DocumentKind.ACTIVITY, object().put("arn", arn).put("deleted", true));
                activities.remove(arn);
                tags.drop(arn);
            }
        }
        return object();
    }

    /** The oldest task no worker has, waiting up to 60 s; without one, a response with no taskToken. */
    ObjectNode getActivityTask(ActionRequest request) {
        var activity = existing(request.requiredString("activityArn"));
        var worker = request.string("workerName", 80);
        var response = object();
        try {
            callbacks.poll(activity.arn(), worker, poll).ifPresent(task ->
                    response.put("taskToken", task.taskToken()).put("input", task.input()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the endpoint is closing: answer as a poll that found nothing
        }
        return response;
    }

    /** Whether this ARN names an activity that exists (TagResource and its kin take one). */
    synchronized boolean exists(String arn) {
        return activities.containsKey(arn);
    }

    private String arn(String name) {
        return arns.activityArn(name);
    }

    private void requireArn(String arn) {
        if (arns.activityName(arn).filter(ResourceNames::isValid).isEmpty()) {
            throw StepFunctionsException.invalidArn(arn);
        }
    }

    private synchronized Activity existing(String arn) {
        requireArn(arn);
        var activity = activities.get(arn);
        if (activity == null) {
            throw new StepFunctionsException("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
        }
        return activity;
    }

    private void apply(JsonNode d) {
        var arn = d.path("arn").asText();
        if (d.path("deleted").asBoolean()) {
            activities.remove(arn);
        } else {
            activities.put(arn, new Activity(arn, d.path("name").asText(), Instant.parse(d.path("creationDate").asText())));
        }
    }
}
