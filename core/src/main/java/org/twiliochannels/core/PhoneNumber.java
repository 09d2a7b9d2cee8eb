package org.twiliochannels.core;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Secrets;
import org.twiliochannels.core.internal.Sids;
import org.twiliochannels.core.internal.Texts;

/**
 * A phone number in E.164 form: {@code +}, the country code and the subscriber number, 7 to 15
 * digits in all, nothing else ({@code +14155551234}). Twilio accepts no other form in {@code To}
 * and {@code From}.
 *
 * <p>The number is also checked against its country's numbering plan with Google's libphonenumber,
 * offline: a number too short or too long for its country, or one no operator of that country can
 * have, is rejected with the country named, before any request (Twilio would answer 21211 or
 * 21212). Twilio's magic test numbers ({@code +15005550000} to {@code +15005550009}) pass: they are
 * valid US numbers. The check costs about 15 µs per number once the country's metadata is loaded
 * (a one-off of 80 ms or more on first use); a bulk run pays it once per recipient, when the message
 * is built.
 *
 * @param value the canonical text form
 */
public record PhoneNumber(String value) implements Address {
    static final String FIX = "E.164 is + then the country code and the number, with no spaces or punctuation, e.g. +14155551234.";
    /** The longest value looked at: E.164 has at most 16 characters; room for spaces and punctuation. */
    static final int MAX_LENGTH = 64;
    private static final String SEPARATORS = " -()./";

    /** Validates; prefer {@link #of(String)}. */
    public PhoneNumber {
        Objects.requireNonNull(value, "value");
        check(value);
    }

    /**
     * Parses an E.164 phone number. A formatted number such as {@code "+1 (415) 555-1234"} is
     * rejected with a message that gives the E.164 form to use instead.
     *
     * @throws IllegalArgumentException naming what is wrong and how to write the number: a value of
     *                                  more than 64 characters is refused by its length, one that looks
     *                                  like a pasted auth token or API secret without being quoted, and a
     *                                  character outside ASCII (a full-width digit, a no-break or
     *                                  zero-width space) by its Unicode name and position
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
        Texts.rejectTooLong(kind, raw, MAX_LENGTH, FIX);
        Secrets.rejectPasted(kind, raw, FIX);
        if (raw.regionMatches(true, 0, WhatsAppAddress.PREFIX, 0, WhatsAppAddress.PREFIX.length())) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" is a WhatsApp address; for SMS use \""
                    + raw.substring(WhatsAppAddress.PREFIX.length()).strip() + "\" without the whatsapp: prefix.");
        }
        Texts.rejectOddCharacters(kind, raw, FIX, PhoneNumber::suggestion);
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
        checkNumberingPlan(kind, raw);
    }

    /** The E.164 form of {@code typed} (ASCII) without its separators, when that is a valid number. */
    private static Optional<String> suggestion(String typed) {
        StringBuilder s = new StringBuilder();
        typed.chars().filter(c -> SEPARATORS.indexOf(c) < 0).forEach(c -> s.append((char) c));
        return parse(s.toString()).map(PhoneNumber::value);
    }

    /** The country's rules, from libphonenumber's metadata: length first, then the number ranges in use. */
    private static void checkNumberingPlan(String kind, String raw) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        com.google.i18n.phonenumbers.Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(raw, "ZZ");
        } catch (NumberParseException e) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" does not start with a country code in use;"
                    + " check the digits after +. " + FIX, e);
        }
        int code = parsed.getCountryCode();
        String country = country(util, code);
        ValidationResult length = util.isPossibleNumberWithReason(parsed);
        String problem = switch (length) {
            case INVALID_COUNTRY_CODE -> "does not start with a country code in use; check the digits after +.";
            case TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY -> "is too short for a number in " + country + ": check that no"
                    + " digit (or the area code) is missing.";
            case TOO_LONG -> "is too long for a number in " + country + ": check for an extra digit.";
            case INVALID_LENGTH -> "has a length no number in " + country + " has: check the digits.";
            case IS_POSSIBLE -> util.isValidNumber(parsed) ? null : "is not a valid number in " + country
                    + ": no number there starts like this; check the area code and the digits.";
        };
        if (problem != null) {
            throw new IllegalArgumentException(kind + " \"" + raw + "\" " + problem + " " + FIX);
        }
    }

    /** {@code "the United States (+1)"}: the main country of a calling code, in English. */
    private static String country(PhoneNumberUtil util, int code) {
        String region = util.getRegionCodeForCountryCode(code);
        if ("ZZ".equals(region) || "001".equals(region)) {
            return "the +" + code + " numbering plan";
        }
        String name = new Locale("", region).getDisplayCountry(Locale.ENGLISH);
        boolean article = name.startsWith("United ") || name.endsWith(" Islands") || name.endsWith(" Republic")
                || name.equals("Netherlands") || name.equals("Philippines") || name.equals("Bahamas")
                || name.equals("Gambia") || name.equals("Maldives");
        return (article ? "the " : "") + name + " (+" + code + ")";
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
