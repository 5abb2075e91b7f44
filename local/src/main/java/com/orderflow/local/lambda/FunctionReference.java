package com.orderflow.local.lambda;

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

    private static final Pattern FORM = Pattern.compile(
            "^(?:arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-gov)?-[a-z]+-\\d:\\d{12}:function:|\\d{12}:function:)?"
                    + "([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$");

    /** Reads a reference; empty when the text is no Lambda function reference at all. */
    public static Optional<FunctionReference> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var m = FORM.matcher(text);
        return m.matches() ? Optional.of(new FunctionReference(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The version Lambda reports as executed: a numeric qualifier is one; anything else runs {@code $LATEST} here. */
    public String executedVersion() {
        return qualifier != null && qualifier.chars().allMatch(Character::isDigit) ? qualifier : "$LATEST";
    }
}
