package com.orderflow.local.sfn;

/**
 * AWS's naming rules for state machines and executions: 1 to 80 characters, none of them
 * whitespace, brackets, wildcards, the listed punctuation or control characters.
 */
final class ResourceNames {

    private static final String FORBIDDEN = "<>{}[]?*\"#%\\^|~`$&,;:/";

    private ResourceNames() {
    }

    static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 80) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || FORBIDDEN.indexOf(c) >= 0
                    || c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
                return false;
            }
        }
        return true;
    }

    static String require(String name) {
        if (!isValid(name)) {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "'");
        }
        return name;
    }
}
