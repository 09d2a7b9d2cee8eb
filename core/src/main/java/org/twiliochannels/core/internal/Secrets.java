package org.twiliochannels.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks and comparisons for secret values; nothing here ever puts a secret into a message. Not API. */
public final class Secrets {
    private Secrets() {}

    /**
     * Checks a secret of exactly {@code length} characters drawn from {@code alphabet}. Messages
     * give lengths and positions, never the value.
     */
    public static String check(String kind, String fix, String raw, int length, String alphabetName,
                               String oneOfAlphabet, java.util.function.IntPredicate alphabet) {
        Texts.rejectPastedDecoration(kind, raw, true, fix, true);
        if (raw.length() != length) {
            throw new IllegalArgumentException(kind + " has " + raw.length() + " characters; expected " + length
                    + " " + alphabetName + ". " + fix);
        }
        for (int i = 0; i < raw.length(); i++) {
            if (!alphabet.test(raw.charAt(i))) {
                throw new IllegalArgumentException(kind + " has a character at position " + (i + 1)
                        + " that is not " + oneOfAlphabet + "; expected " + length + " "
                        + alphabetName + ". " + fix);
            }
        }
        return raw;
    }

    /** Compares in time that does not depend on where the values differ. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The last four characters behind an ellipsis, e.g. {@code "…o5p6"}: as much as may be shown. */
    public static String maskedTail(String secret) {
        return "…" + secret.substring(Math.max(0, secret.length() - 4));
    }

    /** Lower-case hex digits. */
    public static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
