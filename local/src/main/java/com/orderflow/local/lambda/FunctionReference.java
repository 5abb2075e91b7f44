package com.orderflow.local.lambda;

import com.orderflow.aws.Arn;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Lambda function reference in any form Lambda's Invoke accepts: a name ({@code my-fn}), a name with
 * a qualifier ({@code my-fn:live}), a full ARN ({@code arn:aws:lambda:us-east-1:123456789012:function:my-fn[:live]})
 * or a partial ARN ({@code 123456789012:function:my-fn[:live]}).
 *
 * @param qualifier an alias or version, or {@code null}
 */
public record FunctionReference(String functionName, String qualifier) {

    private static final Pattern PARTIAL_ARN = Pattern.compile("^\\d{12}:function:");
    private static final Pattern NAME = Pattern.compile("^([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$");

    /** Reads a reference; empty when the text is no Lambda function reference at all. */
    public static Optional<FunctionReference> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.startsWith("arn:")) {
            return Arn.parse(text)
                    .filter(arn -> arn.service().equals("lambda") && arn.resourceType().equals("function")
                            && !arn.region().isEmpty() && arn.account().length() == 12)
                    .flatMap(arn -> named(arn.resource().substring("function:".length())));
        }
        var partial = PARTIAL_ARN.matcher(text);
        return named(partial.find() ? text.substring(partial.end()) : text);
    }

    private static Optional<FunctionReference> named(String nameAndQualifier) {
        var m = NAME.matcher(nameAndQualifier);
        return m.matches() ? Optional.of(new FunctionReference(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The version Lambda reports as executed: a numeric qualifier is one; anything else runs {@code $LATEST} here. */
    public String executedVersion() {
        return qualifier != null && qualifier.chars().allMatch(Character::isDigit) ? qualifier : "$LATEST";
    }
}
