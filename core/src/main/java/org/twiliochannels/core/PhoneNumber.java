package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Sids;
import org.twiliochannels.core.internal.Texts;

/**
 * A phone number in E.164 form: {@code +}, the country code and the subscriber number, 7 to 15
 * digits in all, nothing else ({@code +14155551234}). Twilio accepts no other form in {@code To}
 * and {@code From}.
 *
 * @param value the canonical text form
 */
public record PhoneNumber(String value) implements Address {
    static final String FIX = "E.164 is + then the country code and the number, with no spaces or punctuation, e.g. +14155551234.";
    private static final String SEPARATORS = " -().\u00a0/";

    /** Validates; prefer {@link #of(String)}. */
    public PhoneNumber {
        Objects.requireNonNull(value, "value");
        check(value);
    }

    /**
     * Parses an E.164 phone number. A formatted number such as {@code "+1 (415) 555-1234"} is
     * rejected with a message that gives the E.164 form to use instead.
     *
     * @throws IllegalArgumentException naming what is wrong and how to write the number
     */
    public static PhoneNumber of(String value) {
        return new PhoneNumber(value);
    }

    /** Parses a phone number, or returns empty when {@code value} is not E.164. */
    public static Optional<PhoneNumber> parse(String value) {
        return Sids.tryParse(value, PhoneNumber::of);
    }

    /** This number itself (a {@link WhatsAppAddress} has one behind it too). */
    public PhoneNumber phoneNumber() {
        return this;
    }

    @Override
    public String masked() {
        int keepHead = Math.min(5, value.length() - 4);
        return value.substring(0, keepHead) + "***" + value.substring(value.length() - 4);
    }

    @Override
    public String toString() {
        return value;
    }

    private static void check(String raw) {
        String kind = "Phone number";
        if (raw.regionMatches(true, 0, WhatsAppAddress.PREFIX, 0, WhatsAppAddress.PREFIX.length())) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" is a WhatsApp address; for SMS use \""
                    + raw.substring(WhatsAppAddress.PREFIX.length()).strip() + "\" without the whatsapp: prefix.");
        }
        Texts.rejectPastedDecoration(kind, raw, false, FIX);
        StringBuilder digits = new StringBuilder();
        boolean separators = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && i == 0) {
                continue;
            } else if (SEPARATORS.indexOf(c) >= 0) {
                separators = true;
            } else {
                throw new IllegalArgumentException(kind + " \"" + raw + "\" has '" + c + "' at position " + (i + 1)
                        + "; only + and digits are allowed. " + FIX);
            }
        }
        boolean plus = raw.startsWith("+");
        String advice = advice(plus, digits.toString());
        if (separators) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" contains spaces, dashes, dots or parentheses; "
                    + advice + " " + FIX);
        }
        if (!plus) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" has no + and country code; " + advice + " " + FIX);
        }
        if (digits.length() > 0 && digits.charAt(0) == '0') {
            throw new IllegalArgumentException(kind + " \"" + raw
                    + "\" has a country code starting with 0; drop the trunk prefix 0 and use the country code. " + FIX);
        }
        if (digits.length() < 7 || digits.length() > 15) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" has " + digits.length()
                    + " digits; E.164 numbers have 7 to 15. " + FIX);
        }
    }

    /** What to write instead: the E.164 form the user most likely meant, or how to build it. */
    private static String advice(boolean plus, String digits) {
        String fallback = "put + and the country code in front (+1 for the US and Canada, +44 for the UK).";
        if (plus) {
            return digits.length() >= 7 && digits.length() <= 15 && digits.charAt(0) != '0'
                    ? "write it as \"+" + digits + "\"." : fallback;
        }
        if (digits.startsWith("00") && digits.length() >= 9) {
            return "write it as \"+" + digits.substring(2) + "\" (00 is written +).";
        }
        if (digits.length() == 11 && digits.charAt(0) == '1') {
            return "write it as \"+" + digits + "\".";
        }
        if (digits.length() == 10 && digits.charAt(0) != '0' && digits.charAt(0) != '1') {
            return "write it as \"+1" + digits + "\" if it is a US or Canadian number, otherwise " + fallback;
        }
        return fallback;
    }
}
