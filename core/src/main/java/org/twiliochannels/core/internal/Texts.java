package org.twiliochannels.core.internal;

/**
 * Checks for the decorations people paste around values copied from the Twilio Console or an env
 * file: surrounding quotes, whitespace, trailing newlines. Not API.
 */
public final class Texts {
    private Texts() {}

    /**
     * Rejects an empty value, surrounding quotes and whitespace (inner whitespace too when
     * {@code noInnerWhitespace}).
     *
     * @param secret when true, the value itself never appears in the message, only positions
     */
    public static void rejectPastedDecoration(String kind, String raw, boolean noInnerWhitespace, String fix) {
        rejectPastedDecoration(kind, raw, noInnerWhitespace, fix, false);
    }

    /** As {@link #rejectPastedDecoration(String, String, boolean, String)}, optionally for a secret. */
    public static void rejectPastedDecoration(String kind, String raw, boolean noInnerWhitespace, String fix,
                                              boolean secret) {
        String shown = secret ? "" : " \"" + printable(raw) + "\"";
        if (raw.isEmpty()) {
            throw new IllegalArgumentException(kind + " is empty. " + fix);
        }
        if (raw.length() >= 2 && isQuote(raw.charAt(0)) && raw.charAt(raw.length() - 1) == raw.charAt(0)) {
            throw new IllegalArgumentException(kind + shown + " is wrapped in quotes; remove the quotes. " + fix);
        }
        if (raw.endsWith("\n") || raw.endsWith("\r")) {
            throw new IllegalArgumentException(kind + shown + " ends with a line break; remove it. " + fix);
        }
        if (!raw.equals(raw.strip())) {
            throw new IllegalArgumentException(kind + shown
                    + " has leading or trailing whitespace; remove it. " + fix);
        }
        if (noInnerWhitespace) {
            for (int i = 0; i < raw.length(); i++) {
                if (Character.isWhitespace(raw.charAt(i))) {
                    throw new IllegalArgumentException(kind + shown + " contains whitespace at position " + (i + 1)
                            + "; remove it. " + fix);
                }
            }
        }
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }

    /** The value with line breaks and tabs made visible, for error messages. */
    public static String printable(String raw) {
        return raw.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
