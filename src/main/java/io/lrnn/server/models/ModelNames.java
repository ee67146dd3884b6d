package io.lrnn.server.models;

import java.util.regex.Pattern;

/** Model names and versions: 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'. */
public final class ModelNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

    private ModelNames() {
    }

    public static boolean isValid(String s) {
        return s != null && VALID.matcher(s).matches();
    }

    /** Fails with a message naming {@code field} unless {@code value} is valid. */
    public static String check(String field, String value) {
        if (!isValid(value)) {
            throw new InvalidModelException(field + ": expected 1 to 64 letters, digits, '.', '_' or '-' "
                    + "(not starting with '.' or '-') but found '" + value + "'");
        }
        return value;
    }
}
