package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.sfn.StateMachineVersions.Alias;
import com.orderflow.local.sfn.StateMachineVersions.Route;
import com.orderflow.local.sfn.StateMachineVersions.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The operations on state machine versions and aliases, and what StartExecution runs for a qualified ARN: a
 * version's definition as published, or, through an alias, one of its versions chosen by weight.
 */
final class VersionsApi {

    /** AWS's alias names: letters, digits, {@code - _ .}, and not a number (that would read as a version). */
    private static final Pattern ALIAS_NAME = Pattern.compile("^(?=.*[a-zA-Z_\\-.])[a-zA-Z0-9_\\-.]{1,80}$");

    private final StatesArns arns;
    private final StateMachineRegistry stateMachines;
    private final StateMachineVersions versions;

    VersionsApi(StateMachineRegistry stateMachines, StateMachineVersions versions) {
        this.arns = stateMachines.arns();
        this.stateMachines = stateMachines;
        this.versions = versions;
    }

    /** What a StartExecution's {@code stateMachineArn} runs: the revision, and the version and alias it came by. */
    record Target(StateMachine stateMachine, String versionArn, String aliasArn) {
    }

    Target resolve(String arn) {
        var qualified = arns.qualified(arn);
        if (qualified.qualifier() == null) {
            return new Target(stateMachines.describe(arn), null, null);
        }
        String aliasArn = null;
        String versionArn = arn;
        if (qualified.isAlias()) {
            var alias = versions.alias(arn);
            aliasArn = alias.arn();
            versionArn = pick(alias.routing());
        }
        var chosen = versionArn;
        var version = versions.version(chosen).orElseThrow(() -> StepFunctionsException.stateMachineDoesNotExist(chosen));
        var sm = stateMachines.atRevision(version.revision())
                .orElseThrow(() -> StepFunctionsException.stateMachineDoesNotExist(chosen));
        return new Target(sm, version.arn(), aliasArn);
    }

    /** One route by weight, as an alias splits executions between two versions. */
    private static String pick(List<Route> routing) {
        int draw = ThreadLocalRandom.current().nextInt(100);
        for (Route route : routing) {
            draw -= route.weight();
            if (draw < 0) {
                return route.versionArn();
            }
        }
        return routing.getLast().versionArn();
    }

    ObjectNode publish(ActionRequest request) {
        var arn = request.requiredString("stateMachineArn");
        var sm = stateMachines.describe(arn);
        var revisionId = request.string("revisionId");
        if (revisionId != null && !revisionId.equals(Long.toString(sm.revision()))) {
            throw new StepFunctionsException("ConflictException", "Failed to publish the State Machine version for "
                    + "revision " + revisionId + ". The current State Machine revision is " + sm.revision() + ".");
        }
        var version = versions.publish(sm, request.string("description", 256));
        var response = object();
        response.set("creationDate", epochSeconds(version.creationDate()));
        response.put("stateMachineVersionArn", version.arn());
        return response;
    }

    ObjectNode listVersions(ActionRequest request) {
        var sm = stateMachines.describe(request.requiredString("stateMachineArn"));
        var page = NextTokens.page(versions.versionsOf(sm.arn()), Version::arn, "ListStateMachineVersions " + sm.arn(),
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("stateMachineVersions");
        for (Version v : page.items()) {
            items.addObject().put("stateMachineVersionArn", v.arn()).set("creationDate", epochSeconds(v.creationDate()));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    ObjectNode deleteVersion(ActionRequest request) {
        var arn = request.requiredString("stateMachineVersionArn");
        if (!arns.qualified(arn).isVersion()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        versions.deleteVersion(arn);
        return object();
    }

    ObjectNode createAlias(ActionRequest request) {
        var name = request.requiredString("name");
        if (!ALIAS_NAME.matcher(name).matches()) {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "'");
        }
        var routing = routing(request.body().get("routingConfiguration"));
        var stateMachineArn = stateMachineOf(routing.getFirst().versionArn());
        stateMachines.describe(stateMachineArn);
        var alias = versions.createAlias(stateMachineArn + ":" + name, stateMachineArn, name,
                request.string("description", 256), routing);
        var response = object();
        response.put("stateMachineAliasArn", alias.arn());
        response.set("creationDate", epochSeconds(alias.creationDate()));
        return response;
    }

    ObjectNode describeAlias(ActionRequest request) {
        var alias = versions.alias(aliasArn(request));
        var response = object();
        response.put("stateMachineAliasArn", alias.arn());
        response.put("name", alias.name());
        if (alias.description() != null) {
            response.put("description", alias.description());
        }
        var routes = response.putArray("routingConfiguration");
        alias.routing().forEach(r -> routes.addObject().put("stateMachineVersionArn", r.versionArn())
                .put("weight", r.weight()));
        response.set("creationDate", epochSeconds(alias.creationDate()));
        response.set("updateDate", epochSeconds(alias.updateDate()));
        return response;
    }

    ObjectNode listAliases(ActionRequest request) {
        var sm = stateMachines.describe(request.requiredString("stateMachineArn"));
        var page = NextTokens.page(versions.aliasesOf(sm.arn()), Alias::arn, "ListStateMachineAliases " + sm.arn(),
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("stateMachineAliases");
        for (Alias a : page.items()) {
            items.addObject().put("stateMachineAliasArn", a.arn()).set("creationDate", epochSeconds(a.creationDate()));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    ObjectNode updateAlias(ActionRequest request) {
        var arn = aliasArn(request);
        var description = request.string("description", 256);
        var config = request.body().get("routingConfiguration");
        if (description == null && config == null) {
            throw new StepFunctionsException("MissingRequiredParameter",
                    "Either the description or the routingConfiguration must be specified");
        }
        var alias = versions.updateAlias(arn, description, config == null ? null : routing(config));
        return object().set("updateDate", epochSeconds(alias.updateDate()));
    }

    ObjectNode deleteAlias(ActionRequest request) {
        versions.deleteAlias(aliasArn(request));
        return object();
    }

    private String aliasArn(ActionRequest request) {
        var arn = request.requiredString("stateMachineAliasArn");
        if (!arns.qualified(arn).isAlias()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        return arn;
    }

    private String stateMachineOf(String versionArn) {
        var qualified = arns.qualified(versionArn);
        if (!qualified.isVersion()) {
            throw StepFunctionsException.invalidArn(versionArn);
        }
        return arns.stateMachineArn(qualified.stateMachineName());
    }

    /** One or two distinct versions whose weights (0 to 100) add up to 100, as AWS requires. */
    private List<Route> routing(JsonNode config) {
        if (config == null || !config.isArray() || config.isEmpty() || config.size() > 2) {
            throw StepFunctionsException.validation("1 validation error detected: Value at 'routingConfiguration' "
                    + "failed to satisfy constraint: Member must have length between 1 and 2");
        }
        var routes = new ArrayList<Route>();
        int total = 0;
        for (JsonNode item : config) {
            var versionArn = item.path("stateMachineVersionArn").asText("");
            stateMachineOf(versionArn);
            var weight = item.path("weight");
            if (!weight.isInt() || weight.asInt() < 0 || weight.asInt() > 100) {
                throw StepFunctionsException.validation("1 validation error detected: Value at "
                        + "'routingConfiguration.member.weight' failed to satisfy constraint: Member must have value "
                        + "between 0 and 100");
            }
            if (routes.stream().anyMatch(r -> r.versionArn().equals(versionArn))) {
                throw StepFunctionsException.validation("Routing configuration must contain distinct state machine "
                        + "version ARNs: " + versionArn);
            }
            total += weight.asInt();
            routes.add(new Route(versionArn, weight.asInt()));
        }
        if (total != 100) {
            throw StepFunctionsException.validation("Sum of routing configuration weights must be equal to 100");
        }
        if (!stateMachineOf(routes.getFirst().versionArn()).equals(stateMachineOf(routes.getLast().versionArn()))) {
            throw StepFunctionsException.validation("Routing configuration must contain versions of the same "
                    + "state machine");
        }
        return List.copyOf(routes);
    }
}
