package org.twiliochannels.core;

import java.util.Objects;

/**
 * An address of a channel plug-in, written {@code prefix:identifier} (e.g.
 * {@code messenger:1234567890} for Facebook Messenger). Core checks only the form; the plug-in's
 * policy checks the identifier.
 *
 * @param prefix     the channel's prefix without the colon, lower case, e.g. {@code "messenger"}
 * @param identifier what follows the colon
 */
public record PrefixedAddress(String prefix, String identifier) implements Address {
    private static final String FIX = "Write it as prefix:identifier, e.g. messenger:1234567890.";

    /** Checks the form. */
    public PrefixedAddress {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(identifier, "identifier");
        if (!prefix.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("address prefix \"" + prefix + "\" must be lower-case letters, digits"
                    + " and '-', starting with a letter. " + FIX);
        }
        if (identifier.isEmpty() || identifier.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("address \"" + prefix + ":" + identifier + "\" needs an identifier"
                    + " after the colon, without spaces. " + FIX);
        }
    }

    /**
     * Parses {@code prefix:identifier}.
     *
     * @throws IllegalArgumentException naming what is wrong and the form expected
     */
    public static PrefixedAddress of(String value) {
        Objects.requireNonNull(value, "value");
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address \"" + value + "\" has no prefix. " + FIX);
        }
        return new PrefixedAddress(value.substring(0, colon), value.substring(colon + 1));
    }

    static boolean looksPrefixed(String value) {
        int colon = value.indexOf(':');
        return colon > 0 && value.substring(0, colon).matches("[A-Za-z][A-Za-z0-9-]*");
    }

    @Override
    public String value() {
        return prefix + ":" + identifier;
    }

    /** The prefix and the last four characters of the identifier, e.g. {@code messenger:***7890}. */
    @Override
    public String masked() {
        int keep = Math.min(4, identifier.length() / 2);
        return prefix + ":***" + identifier.substring(identifier.length() - keep);
    }

    @Override
    public String toString() {
        return masked();
    }
}
