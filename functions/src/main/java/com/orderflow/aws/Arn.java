package com.orderflow.aws;

import java.util.List;
import java.util.Optional;

/**
 * An Amazon Resource Name, {@code arn:<partition>:<service>:<region>:<account>:<resource>}, taken apart once: the
 * one type the project parses, formats and validates ARNs with. Region and account are empty for global
 * resources ({@code arn:aws:iam::123456789012:role/x}, {@code arn:aws:s3:::bucket}); the resource keeps its own
 * separators ({@code stateMachine:orders}, {@code function:api:live}, {@code role/x}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    public Arn {
        check(partition != null && (partition.equals("aws") || partition.startsWith("aws-") && dashedWords(partition)),
                partition, "partition");
        check(service != null && dashedWords(service), service, "service");
        check(region != null && (region.isEmpty() || isRegion(region)), region, "region");
        check(account != null && isAccount(account), account, "account");
        if (resource == null || resource.isEmpty()) {
            throw new IllegalArgumentException("An ARN names a resource");
        }
    }

    /**
     * The ARN {@code text} is, or empty when it is none (a name, a partial ARN, a malformed one). Taken apart by index,
     * with no split or pattern: the local engine asks this of a Task's resource several times per call.
     */
    public static Optional<Arn> parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        int partition = 4;
        int service = text.indexOf(':', partition) + 1;
        int region = service == 0 ? 0 : text.indexOf(':', service) + 1;
        int account = region == 0 ? 0 : text.indexOf(':', region) + 1;
        int resource = account == 0 ? 0 : text.indexOf(':', account) + 1;
        if (resource == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Arn(text.substring(partition, service - 1), text.substring(service, region - 1),
                    text.substring(region, account - 1), text.substring(account, resource - 1), text.substring(resource)));
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
        int colon = resource.indexOf(':');
        return colon < 0 ? resource : resource.substring(0, colon);
    }

    /** Whether this is a {@code service} ARN of resource type {@code type} with exactly {@code parts} parts. */
    public boolean is(String service, String type, int parts) {
        return this.service.equals(service) && resourceType().equals(type) && partCount() == parts;
    }

    private int partCount() {
        int parts = 1;
        for (int i = resource.indexOf(':'); i >= 0; i = resource.indexOf(':', i + 1)) {
            parts++;
        }
        return parts;
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
        if (text.isEmpty() || text.charAt(0) == '-' || text.charAt(text.length() - 1) == '-') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean dash = c == '-';
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || dash) || dash && text.charAt(i - 1) == '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code eu-west-1}, {@code us-gov-west-1}: two letters, one or more words, a number. */
    private static boolean isRegion(String text) {
        if (!dashedWords(text) || text.length() < 3 || text.charAt(2) != '-'
                || !Character.isLetter(text.charAt(0)) || !Character.isLetter(text.charAt(1))) {
            return false;
        }
        int last = text.lastIndexOf('-');
        if (last == 2) {
            return false; // two words only ("eu-1")
        }
        for (int i = last + 1; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Empty, twelve digits, or {@code aws} (AWS-owned resources). */
    private static boolean isAccount(String text) {
        if (text.isEmpty() || text.equals("aws")) {
            return true;
        }
        if (text.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
