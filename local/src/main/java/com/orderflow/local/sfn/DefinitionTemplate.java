package com.orderflow.local.sfn;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code ${Name}} placeholders of a definition file (CloudFormation's DefinitionSubstitutions
 * style), so the local stack runs the same file CDK deploys.
 */
public final class DefinitionTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private DefinitionTemplate() {
    }

    /**
     * @throws IllegalArgumentException when a placeholder has no substitution (a typo would otherwise
     *                                  surface only as a failed task at run time)
     */
    public static String render(String template, Map<String, String> substitutions) {
        var m = PLACEHOLDER.matcher(template);
        var out = new StringBuilder();
        while (m.find()) {
            var value = substitutions.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no substitution for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
