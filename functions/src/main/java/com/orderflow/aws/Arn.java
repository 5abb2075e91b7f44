package com.orderflow.aws;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Amazon Resource Name, {@code arn:<partition>:<service>:<region>:<account>:<resource>}, taken apart once: the
 * one type the project parses, formats and validates ARNs with. Region and account are empty for global
 * resources ({@code arn:aws:iam::123456789012:role/x}, {@code arn:aws:s3:::bucket}); the resource keeps its own
 * separators ({@code stateMachine:orders}, {@code function:api:live}, {@code role/x}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    private static final Pattern ACCOUNT = Pattern.compile("(\\d{12}|aws)?");

    public Arn {
        check(partition != null && (partition.equals("aws") || partition.startsWith("aws-") && dashedWords(partition)),
                partition, "partition");
        check(service != null && dashedWords(service), service, "service");
        check(region != null && (region.isEmpty() || isRegion(region)), region, "region");
        check(account != null && ACCOUNT.matcher(account).matches(), account, "account");
        if (resource == null || resource.isEmpty()) {
            throw new IllegalArgumentException("An ARN names a resource");
        }
    }

    /** The ARN {@code text} is, or empty when it is none (a name, a partial ARN, a malformed one). */
    public static Optional<Arn> parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        var parts = text.split(":", 6);
        if (parts.length < 6) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The ARN {@code text} is, as a service that was given it says when it is not one. */
    public static Arn require(String text, String what) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not " + what + ": " + text));
    }

    /** The same partition, service, region and account, naming another resource. */
    public Arn withResource(String otherResource) {
        return new Arn(partition, service, region, account, otherResource);
    }

    /** The resource's parts between {@code :} ({@code execution:orders:ord_1} → {@code [execution, orders, ord_1]}). */
    public List<String> resourceParts() {
        return List.of(resource.split(":", -1));
    }

    /** The resource's type, its first part ({@code stateMachine}, {@code function}, {@code execution}). */
    public String resourceType() {
        return resourceParts().getFirst();
    }

    /** Whether this is a {@code service} ARN of resource type {@code type} with exactly {@code parts} parts. */
    public boolean is(String service, String type, int parts) {
        return this.service.equals(service) && resourceType().equals(type) && resourceParts().size() == parts;
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }

    private static void check(boolean valid, String value, String part) {
        if (!valid) {
            throw new IllegalArgumentException("Not an ARN's " + part + ": '" + value + "'");
        }
    }

    /** Lowercase letters and digits in words joined by single dashes ({@code us-gov-west-1}, {@code states}). */
    private static boolean dashedWords(String text) {
        if (text.isEmpty() || text.startsWith("-") || text.endsWith("-") || text.contains("--")) {
            return false;
        }
        return text.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-');
    }

    /** {@code eu-west-1}, {@code us-gov-west-1}: two letters, one or more words, a number. */
    private static boolean isRegion(String text) {
        if (!dashedWords(text)) {
            return false;
        }
        var words = text.split("-");
        return words.length >= 3 && words[0].length() == 2 && words[0].chars().allMatch(Character::isLetter)
                && words[words.length - 1].chars().allMatch(Character::isDigit);
    }
}
