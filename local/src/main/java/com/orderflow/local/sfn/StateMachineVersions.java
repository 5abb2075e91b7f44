package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.store.WorkflowStore;
import com.orderflow.local.store.WorkflowStore.DocumentKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The published versions and the aliases of every state machine. A version names a stored revision, which never
 * changes, so an execution of a version runs what was published; both survive a restart like the revisions do.
 */
final class StateMachineVersions {

    /** One published version: {@code <stateMachineArn>:<number>}, running the definition of {@code revision}. */
    record Version(String arn, String stateMachineArn, int number, long revision, String description,
                   Instant creationDate) {
    }

    /** A share of an alias's executions that go to one version. */
    record Route(String versionArn, int weight) {
    }

    /** A named pointer to one or two versions, {@code <stateMachineArn>:<name>}. */
    record Alias(String arn, String stateMachineArn, String name, String description, List<Route> routing,
                 Instant creationDate, Instant updateDate) {
    }

    private final WorkflowStore store;
    private final Clock clock;
    /** Held while a change is stored and applied. */
    private final Object changes = new Object();
    private final Map<String, Version> versions = new LinkedHashMap<>();
    /** The highest number each state machine ever published: numbers are not reused after a delete, as on AWS. */
    private final Map<String, Integer> lastNumber = new HashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();

    StateMachineVersions(WorkflowStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (JsonNode d : store.documents(DocumentKind.VERSION)) {
            applyVersion(d);
        }
        for (JsonNode d : store.documents(DocumentKind.ALIAS)) {
            applyAlias(d);
        }
    }

    // ---- versions -----------------------------------------------------------------------------------

    /** Publishes the state machine's current revision; when its latest version already runs it, that one. */
    Version publish(StateMachine sm, String description) {
        synchronized (changes) {
            var latest = versionsOf(sm.arn()).stream().findFirst();
            if (latest.isPresent() && latest.get().revision() == sm.revision()) {
                return latest.get();
            }
            int number = lastNumber.getOrDefault(sm.arn(), 0) + 1;
            var document = object().put("arn", sm.arn() + ":" + number).put("stateMachineArn", sm.arn())
                    .put("number", number).put("revision", sm.revision()).put("description", description)
                    .put("creationDate", clock.instant().toString()).put("deleted", false);
            store.saveDocument(DocumentKind.VERSION, document);
            return applyVersion(document);
        }
    }

    Optional<Version> version(String arn) {
        synchronized (changes) {
            return Optional.ofNullable(versions.get(arn));
        }
    }

    /** A state machine's versions, newest first. */
    List<Version> versionsOf(String stateMachineArn) {
        synchronized (changes) {
            return versions.values().stream().filter(v -> v.stateMachineArn().equals(stateMachineArn))
                    .sorted(Comparator.comparingInt(Version::number).reversed()).toList();
        }
    }

    /**
     * Deletes a version; one that does not exist is no error, as on AWS.
     *
     * @throws StepFunctionsException ConflictException while an alias routes to it
     */
    void deleteVersion(String arn) {
        synchronized (changes) {
            var version = versions.get(arn);
            if (version == null) {
                return;
            }
            for (Alias alias : aliases.values()) {
                if (alias.routing().stream().anyMatch(r -> r.versionArn().equals(arn))) {
                    throw new StepFunctionsException("ConflictException", "Version to be deleted must not be "
                            + "referenced by an alias. Current list of aliases referencing this version: ["
                            + alias.arn() + "]");
                }
            }
            var document = object().put("arn", arn).put("stateMachineArn", version.stateMachineArn())
                    .put("number", version.number()).put("deleted", true);
            store.saveDocument(DocumentKind.VERSION, document);
            applyVersion(document);
        }
    }

    private Version applyVersion(JsonNode d) {
        var arn = d.path("arn").asText();
        var stateMachineArn = d.path("stateMachineArn").asText();
        lastNumber.merge(stateMachineArn, d.path("number").asInt(), Math::max);
        if (d.path("deleted").asBoolean()) {
            versions.remove(arn);
            return null;
        }
        var version = new Version(arn, stateMachineArn, d.path("number").asInt(), d.path("revision").asLong(),
                text(d, "description"), Instant.parse(d.path("creationDate").asText()));
        versions.put(arn, version);
        return version;
    }

    // ---- aliases ------------------------------------------------------------------------------------

    /** Creates an alias, or returns the existing one when description and routing are the same. */
    Alias createAlias(String arn, String stateMachineArn, String name, String description, List<Route> routing) {
        synchronized (changes) {
            requireVersions(stateMachineArn, routing);
            var existing = aliases.get(arn);
            if (existing != null) {
                if (existing.routing().equals(routing) && java.util.Objects.equals(existing.description(), description)) {
                    return existing;
                }
                throw new StepFunctionsException("ConflictException", "Failed to create alias because an alias with "
                        + "the same name and a different routing configuration already exists.");
            }
            var now = clock.instant();
            return saveAlias(new Alias(arn, stateMachineArn, name, description, routing, now, now));
        }
    }

    /** Changes an alias's description and/or routing; ResourceNotFound when there is no such alias. */
    Alias updateAlias(String arn, String description, List<Route> routing) {
        synchronized (changes) {
            var alias = alias(arn);
            if (routing != null) {
                requireVersions(alias.stateMachineArn(), routing);
            }
            return saveAlias(new Alias(arn, alias.stateMachineArn(), alias.name(),
                    description == null ? alias.description() : description,
                    routing == null ? alias.routing() : routing, alias.creationDate(), clock.instant()));
        }
    }

    /** The alias with this ARN; ResourceNotFound otherwise. */
    Alias alias(String arn) {
        synchronized (changes) {
            var alias = aliases.get(arn);
            if (alias == null) {
                throw resourceNotFound("State Machine Alias", arn);
            }
            return alias;
        }
    }

    /** A state machine's aliases, by name. */
    List<Alias> aliasesOf(String stateMachineArn) {
        synchronized (changes) {
            return aliases.values().stream().filter(a -> a.stateMachineArn().equals(stateMachineArn))
                    .sorted(Comparator.comparing(Alias::name)).toList();
        }
    }

    /** Deletes an alias; one that does not exist is no error. */
    void deleteAlias(String arn) {
        synchronized (changes) {
            var alias = aliases.get(arn);
            if (alias != null) {
                var document = object().put("arn", arn).put("deleted", true);
                store.saveDocument(DocumentKind.ALIAS, document);
                applyAlias(document);
            }
        }
    }

    /** With the state machine go its aliases and versions, so that a machine created again under the name starts afresh. */
    void deleteAll(String stateMachineArn) {
        synchronized (changes) {
            aliasesOf(stateMachineArn).forEach(a -> deleteAlias(a.arn()));
            versionsOf(stateMachineArn).forEach(v -> deleteVersion(v.arn()));
        }
    }

    private void requireVersions(String stateMachineArn, List<Route> routing) {
        for (Route route : routing) {
            var version = versions.get(route.versionArn());
            if (version == null) {
                throw resourceNotFound("State Machine Version", route.versionArn());
            }
            if (!version.stateMachineArn().equals(stateMachineArn)) {
                throw StepFunctionsException.validation("The routing configuration's versions must all be versions "
                        + "of one state machine: " + route.versionArn());
            }
        }
    }

    private Alias saveAlias(Alias alias) {
        var document = object().put("arn", alias.arn()).put("stateMachineArn", alias.stateMachineArn())
                .put("name", alias.name()).put("description", alias.description())
                .put("creationDate", alias.creationDate().toString()).put("updateDate", alias.updateDate().toString())
                .put("deleted", false);
        var routes = document.putArray("routing");
        alias.routing().forEach(r -> routes.addObject().put("versionArn", r.versionArn()).put("weight", r.weight()));
        store.saveDocument(DocumentKind.ALIAS, document);
        return applyAlias(document);
    }

    private Alias applyAlias(JsonNode d) {
        var arn = d.path("arn").asText();
        if (d.path("deleted").asBoolean()) {
            aliases.remove(arn);
            return null;
        }
        var routing = new ArrayList<Route>();
        d.path("routing").forEach(r -> routing.add(new Route(r.path("versionArn").asText(), r.path("weight").asInt())));
        var alias = new Alias(arn, d.path("stateMachineArn").asText(), d.path("name").asText(), text(d, "description"),
                List.copyOf(routing), Instant.parse(d.path("creationDate").asText()),
                Instant.parse(d.path("updateDate").asText()));
        aliases.put(arn, alias);
        return alias;
    }

    static StepFunctionsException resourceNotFound(String what, String arn) {
        return new StepFunctionsException("ResourceNotFound", "Resource Not Found: " + what + " '" + arn + "'");
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : null;
    }

    private static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }
}
