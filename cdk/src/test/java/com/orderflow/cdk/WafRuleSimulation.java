package com.orderflow.cdk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the synthesized WebACL's rules, in priority order, over one request: enough of WAF's semantics to show what
 * the body-size rules do (byte matches on method and path, body size constraints with the association's inspection
 * limit and oversize handling, labels, AND/NOT, rule action overrides). Of the managed groups only the common rule
 * set's {@code SizeRestrictions_BODY} is modelled (a body over 8,192 bytes, label
 * {@code awswaf:managed:aws:core-rule-set:SizeRestrictions_Body}); rate-based and geo rules never match here.
 */
final class WafRuleSimulation {

    /** What WAF does with the request: allow, or block with a status (403 without custom response) and body key. */
    record Verdict(boolean blocked, int status, String rule, String bodyKey) {
        static final Verdict ALLOWED = new Verdict(false, 200, null, null);
    }

    record Request(String method, String path, int bodyBytes) {
    }

    private static final int COMMON_RULE_SET_BODY_LIMIT = 8 * 1024;

    private final JsonNode acl;

    WafRuleSimulation(JsonNode webAclProperties) {
        this.acl = webAclProperties;
    }

    Verdict evaluate(Request request) {
        var labels = new HashSet<String>();
        var rules = new ArrayList<JsonNode>();
        acl.path("Rules").forEach(rules::add);
        rules.sort((a, b) -> Integer.compare(a.path("Priority").asInt(), b.path("Priority").asInt()));
        for (var rule : rules) {
            var group = rule.at("/Statement/ManagedRuleGroupStatement");
            if (!group.isMissingNode()) {
                var verdict = managedGroup(rule, group, request, labels);
                if (verdict != null) {
                    return verdict;
                }
                continue;
            }
            if (matches(rule.path("Statement"), request, labels) && rule.at("/Action/Block").isObject()) {
                var custom = rule.at("/Action/Block/CustomResponse");
                return custom.isMissingNode()
                        ? new Verdict(true, 403, rule.path("Name").asText(), null)
                        : new Verdict(true, custom.path("ResponseCode").asInt(), rule.path("Name").asText(),
                        custom.path("CustomResponseBodyKey").asText());
            }
        }
        return Verdict.ALLOWED;
    }

    private Verdict managedGroup(JsonNode rule, JsonNode group, Request request, Set<String> labels) {
        if (!group.path("Name").asText().equals("AWSManagedRulesCommonRuleSet") || request.bodyBytes() <= COMMON_RULE_SET_BODY_LIMIT) {
            return null;
        }
        labels.add("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
        for (var override : group.path("RuleActionOverrides")) {
            if (override.path("Name").asText().equals("SizeRestrictions_BODY") && override.at("/ActionToUse/Count").isObject()) {
                return null;
            }
        }
        // a managed rule's block has no custom response: API Gateway's WAF_FILTERED answers 403
        return new Verdict(true, 403, rule.path("Name").asText() + ":SizeRestrictions_BODY", null);
    }

    private boolean matches(JsonNode statement, Request request, Set<String> labels) {
        if (statement.has("AndStatement")) {
            for (var inner : statement.at("/AndStatement/Statements")) {
                if (!matches(inner, request, labels)) {
                    return false;
                }
            }
            return true;
        }
        if (statement.has("NotStatement")) {
            return !matches(statement.at("/NotStatement/Statement"), request, labels);
        }
        if (statement.has("LabelMatchStatement")) {
            return labels.contains(statement.at("/LabelMatchStatement/Key").asText());
        }
        if (statement.has("ByteMatchStatement")) {
            return byteMatch(statement.path("ByteMatchStatement"), request);
        }
        if (statement.has("SizeConstraintStatement")) {
            return bodySize(statement.path("SizeConstraintStatement"), request);
        }
        if (statement.has("RateBasedStatement") || statement.has("GeoMatchStatement")) {
            return false;
        }
        throw new IllegalArgumentException("statement not modelled: " + statement);
    }

    private static boolean byteMatch(JsonNode match, Request request) {
        var field = match.path("FieldToMatch");
        var value = field.has("Method") ? request.method() : field.has("UriPath") ? request.path() : null;
        if (value == null) {
            throw new IllegalArgumentException("field not modelled: " + field);
        }
        var wanted = match.path("SearchString").asText();
        return switch (match.path("PositionalConstraint").asText()) {
            case "EXACTLY" -> value.equals(wanted);
            case "ENDS_WITH" -> value.endsWith(wanted);
            case "STARTS_WITH" -> value.startsWith(wanted);
            case "CONTAINS" -> value.contains(wanted);
            default -> throw new IllegalArgumentException("constraint not modelled: " + match);
        };
    }

    private boolean bodySize(JsonNode constraint, Request request) {
        var body = constraint.at("/FieldToMatch/Body");
        if (body.isMissingNode()) {
            throw new IllegalArgumentException("size constraint not modelled: " + constraint);
        }
        var limit = inspectionLimit();
        if (request.bodyBytes() > limit) {
            return switch (body.path("OversizeHandling").asText("CONTINUE")) {
                case "MATCH" -> true;
                case "NO_MATCH" -> false;
                default -> compare(constraint, limit);
            };
        }
        return compare(constraint, request.bodyBytes());
    }

    /** API Gateway forwards 16 KB of body unless the WebACL's association config says otherwise. */
    private int inspectionLimit() {
        var configured = acl.at("/AssociationConfig/RequestBody/API_GATEWAY/DefaultSizeInspectionLimit").asText("KB_16");
        return Integer.parseInt(configured.substring("KB_".length())) * 1024;
    }

    private static boolean compare(JsonNode constraint, int size) {
        var bound = constraint.path("Size").asLong();
        return switch (constraint.path("ComparisonOperator").asText()) {
            case "GT" -> size > bound;
            case "GE" -> size >= bound;
            case "LT" -> size < bound;
            case "LE" -> size <= bound;
            case "EQ" -> size == bound;
            case "NE" -> size != bound;
            default -> throw new IllegalArgumentException("operator not modelled: " + constraint);
        };
    }

    static List<String> ruleNames(JsonNode acl) {
        var names = new ArrayList<String>();
        acl.path("Rules").forEach(r -> names.add(r.path("Name").asText()));
        return names;
    }
}
