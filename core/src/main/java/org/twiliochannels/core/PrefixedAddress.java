package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Secrets;
import org.twiliochannels.core.internal.Texts;

/**
 * An address of a channel plug-in, written {@code prefix:identifier} (e.g.
 * {@code messenger:1234567890} for Facebook Messenger). Core checks only the form; the plug-in's
 * policy checks the identifier. At most 256 characters; no invisible characters (zero-width or
 * no-break spaces, controls). An error never quotes a value that looks like a pasted auth token or
 * API secret.
 *
 * @param prefix     the channel's prefix without the colon, lower case, e.g. {@code "messenger"}
 * @param identifier what follows the colon
 */
public record PrefixedAddress(String prefix, String identifier) implements Address {
    private static final String FIX = "Write it as prefix:identifier, e.g. messenger:1234567890.";
    /** The longest address accepted, prefix and colon included. */
    static final int MAX_LENGTH = 256;

    /** Checks the form. */
    public PrefixedAddress {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(identifier, "identifier");
        String value = prefix + ":" + identifier;
        Texts.rejectTooLong("address", value, MAX_LENGTH, FIX);
        if (!prefix.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException(Secrets.pastedMessage("address prefix", prefix, FIX).orElseGet(() ->
                    "address prefix \"" + Texts.printable(prefix) + "\" must be lower-case letters, digits and '-',"
                            + " starting with a letter. " + FIX));
        }
        Optional<String> invisible = Texts.oddCharacter(value, true, typed -> Optional.empty());
        if (invisible.isPresent()) {
            throw invalid(value, invisible.get() + ".");
        }
        if (identifier.isEmpty() || identifier.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(value, "needs an identifier after the colon, without spaces.");
        }
    }

    /** The error for {@code value}, quoted unless it looks like a pasted token or API secret. */
    private static IllegalArgumentException invalid(String value, String problem) {
        return new IllegalArgumentException(Secrets.pastedMessage("address", value, FIX)
                .orElseGet(() -> "address \"" + Texts.printable(value) + "\" " + problem + " " + FIX));
    }

    /**
     * Parses {@code prefix:identifier}.
     *
     * @throws IllegalArgumentException naming what is wrong and the form expected
     */
    public static PrefixedAddress of(String value) {
        Objects.requireNonNull(value, "value");
        Texts.rejectTooLong("address", value, MAX_LENGTH, FIX);
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw invalid(value, "has no prefix.");
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
