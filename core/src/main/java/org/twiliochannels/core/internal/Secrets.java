package org.twiliochannels.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks and comparisons for secret values; nothing here ever puts a secret into a message. Not API. */
public final class Secrets {
    /** The longest secret value accepted before any other check: Twilio's are 32 characters. */
    public static final int MAX_LENGTH = 64;
    /** A run of letters and digits this long, not a SID, is taken for a pasted token or API secret. */
    private static final int MIN_PASTED = 28;

    private Secrets() {}

    /**
     * Rejects a value, meant for something that is not secret, that looks like a pasted auth token
     * or API secret, without showing it: {@code "<kind> looks like an auth token (32 hex
     * characters): it belongs in TWILIO_AUTH_TOKEN, not here. <fix>"}.
     */
    public static void rejectPasted(String kind, String raw, String fix) {
        pastedMessage(kind, raw, fix).ifPresent(m -> {
            throw new IllegalArgumentException(m);
        });
    }

    /** The message of {@link #rejectPasted}, when {@code raw} looks like a token or API secret. */
    public static Optional<String> pastedMessage(String kind, String raw, String fix) {
        return pasted(raw).map(what -> kind + " looks like " + what + ", not here. " + fix);
    }

    /**
     * What {@code raw} looks like when it holds a run of 28 or more letters and digits that is not
     * a SID nor only digits (invisible characters and spaces removed, full-width forms made ASCII
     * first): {@code "an auth token (32 hex characters): it belongs in TWILIO_AUTH_TOKEN"}.
     */
    public static Optional<String> pasted(String raw) {
        StringBuilder typed = new StringBuilder();
        Texts.typedForm(raw).chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> typed.append((char) c));
        int start = 0;
        for (int i = 0; i <= typed.length(); i++) {
            char c = i < typed.length() ? typed.charAt(i) : ' ';
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            String run = typed.substring(start, i);
            start = i + 1;
            if (run.length() >= MIN_PASTED && !run.chars().allMatch(Character::isDigit) && !Sids.looksLikeSid(run)) {
                return Optional.of(describe(run));
            }
        }
        return Optional.empty();
    }

    private static String describe(String run) {
        if (run.length() == 32 && run.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return "an auth token (32 hex characters): it belongs in TWILIO_AUTH_TOKEN";
        }
        if (run.length() == 32) {
            return "an API key secret (32 letters and digits): it belongs in TWILIO_API_SECRET";
        }
        return "an auth token or API secret (" + run.length() + " letters and digits): it belongs in"
                + " TWILIO_AUTH_TOKEN or TWILIO_API_SECRET";
    }

    /**
     * Checks a secret of exactly {@code length} characters drawn from {@code alphabet}. Messages
     * give lengths and positions, never the value.
     */
    public static String check(String kind, String fix, String raw, int length, String alphabetName,
                               String oneOfAlphabet, java.util.function.IntPredicate alphabet) {
        Texts.rejectTooLong(kind, raw, MAX_LENGTH, fix);
        Texts.rejectOddCharactersInSecret(kind, raw, fix);
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
