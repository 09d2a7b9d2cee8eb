package org.twiliochannels.core.internal;

import java.util.Map;

/**
 * Validation shared by every Twilio SID type: two upper-case letters naming the resource, then
 * 32 lower-case hex characters. Not API.
 */
public final class Sids {
    private static final Map<String, String> KNOWN_PREFIXES = Map.of(
            "AC", "an Account SID",
            "SK", "an API key SID",
            "MG", "a Messaging Service SID",
            "PN", "a phone number SID",
            "HX", "a Content template SID",
            "SM", "a message SID",
            "MM", "a message SID",
            "US", "a user SID",
            "CA", "a call SID");

    /** The longest value looked at: a SID is 34 characters; room for pasted quotes, spaces or a key name. */
    public static final int MAX_LENGTH = 64;

    private Sids() {}

    /**
     * True for what reads as a SID, not a token: a known prefix in upper case, then hex digits;
     * any two upper-case letters, then lower-case hex digits; or a known prefix in lower case, then
     * 32 hex digits (a SID typed in lower case; a token has 32 characters in all).
     */
    static boolean looksLikeSid(String run) {
        if (run.length() < 2) {
            return false;
        }
        String prefix = run.substring(0, 2);
        boolean upper = Character.isUpperCase(prefix.charAt(0)) && Character.isUpperCase(prefix.charAt(1));
        boolean known = KNOWN_PREFIXES.containsKey(prefix.toUpperCase(java.util.Locale.ROOT));
        boolean hex = run.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
        boolean lowerHex = run.chars().skip(2).allMatch(Secrets::isLowerHex);
        return upper && known && hex || upper && lowerHex || known && hex && run.length() == 34;
    }

    /**
     * Checks {@code raw} as a SID of the given kind and returns it unchanged.
     *
     * @param kind     what the value is, e.g. "Account SID", used at the start of every message
     * @param prefixes the accepted two-letter prefixes, the first being the usual one
     * @param fix      where a user finds the right value, appended to every message
     * @throws IllegalArgumentException naming the rule broken, the value (unless it looks like a
     *                                  pasted secret, or is far too long) and the fix
     */
    public static String check(String kind, String fix, String raw, String... prefixes) {
        Texts.rejectTooLong(kind, raw, MAX_LENGTH, fix);
        Secrets.rejectPasted(kind, raw, fix);
        Texts.rejectOddCharacters(kind, raw, fix, typed -> tryParse(typed, v -> check(kind, fix, v, prefixes)));
        Texts.rejectPastedDecoration(kind, raw, true, fix);
        String prefix = raw.length() >= 2 ? raw.substring(0, 2) : raw;
        boolean prefixOk = false;
        for (String p : prefixes) {
            prefixOk |= p.equals(prefix);
        }
        String expected = "\"" + prefixes[0] + "\" followed by 32 lower-case hex characters";
        if (!prefixOk) {
            String known = KNOWN_PREFIXES.get(prefix.toUpperCase(java.util.Locale.ROOT));
            if (known != null && prefix.equals(prefix.toUpperCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(kind + " \"" + raw + "\" is " + known + " (starts with "
                        + prefix + "), not " + article(kind) + ". " + fix);
            }
            throw new IllegalArgumentException(kind + " \"" + raw + "\" must start with \"" + prefixes[0]
                    + "\"; expected " + expected + ". " + fix);
        }
        int digits = raw.length() - 2;
        if (digits != 32) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" has " + digits + " characters after \""
                    + prefix + "\"; expected " + expected + ". " + fix);
        }
        for (int i = 2; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex) {
                String why = (c >= 'A' && c <= 'F') ? "an upper-case hex digit" : "not a hex digit";
                throw new IllegalArgumentException(kind + " \"" + raw + "\" has '" + c + "' at position " + (i + 1)
                        + ", " + why + "; expected " + expected + ". " + fix);
            }
        }
        return raw;
    }

    /** {@code parse.apply(value)}, or empty when it throws {@link IllegalArgumentException} or {@code value} is null. */
    public static <T> java.util.Optional<T> tryParse(String value, java.util.function.Function<String, T> parse) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(parse.apply(value));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static String article(String kind) {
        return "aeiouAEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " + kind : "a " + kind;
    }
}
