package io.runledger.api;

import java.util.regex.Pattern;

/** A scope, service or webhook name outside {@code [a-z0-9][a-z0-9._-]{0,62}}. */
public final class InvalidNameException extends RunLedgerException {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /**
     * A name that breaks the naming rule.
     *
     * @param what what is named, e.g. {@code scope}
     * @param name the name given
     */
    public InvalidNameException(String what, String name) {
        super("invalid_name", what + " name '" + name + "' must match [a-z0-9][a-z0-9._-]{0,62}");
    }

    /**
     * Returns {@code name} if valid, else throws.
     *
     * @param what what is named, e.g. {@code service}, for the message
     * @param name the name to check
     * @return {@code name}
     * @throws InvalidNameException if it is null or breaks the rule
     */
    public static String requireValid(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidNameException(what, String.valueOf(name));
        }
        return name;
    }
}
