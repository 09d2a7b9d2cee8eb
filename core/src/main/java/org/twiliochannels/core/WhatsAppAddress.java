package org.twiliochannels.core;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.Secrets;
import org.twiliochannels.core.internal.Sids;
import org.twiliochannels.core.internal.Texts;

/**
 * A WhatsApp address as Twilio writes it: {@code "whatsapp:"} followed by an E.164 number, e.g.
 * {@code whatsapp:+14155238886}.
 *
 * @param phoneNumber the number behind the address
 */
public record WhatsAppAddress(PhoneNumber phoneNumber) implements Address {
    /** The prefix Twilio uses for WhatsApp in {@code To} and {@code From}. */
    public static final String PREFIX = "whatsapp:";

    /**
     * Twilio's shared WhatsApp sandbox sender. Only numbers that have joined the sandbox (by sending
     * its "join …" code) receive messages from it.
     */
    public static final WhatsAppAddress SANDBOX = new WhatsAppAddress(PhoneNumber.of("+14155238886"));

    private static final String KIND = "WhatsApp address";
    private static final String FIX = "A WhatsApp address is whatsapp: followed by an E.164 number, e.g. whatsapp:+14155238886.";

    /** Validates; prefer {@link #of(String)} or {@link #of(PhoneNumber)}. */
    public WhatsAppAddress {
        Objects.requireNonNull(phoneNumber, "phoneNumber");
    }

    /**
     * Parses {@code "whatsapp:+…"}.
     *
     * @throws IllegalArgumentException when the prefix is missing or misspelt, or the number is not E.164
     */
    public static WhatsAppAddress of(String value) {
        Objects.requireNonNull(value, "value");
        Texts.rejectTooLong(KIND, value, PREFIX.length() + PhoneNumber.MAX_LENGTH, FIX);
        Secrets.rejectPasted(KIND, value, FIX);
        Texts.rejectOddCharacters(KIND, value, FIX, typed -> parse(typed).map(WhatsAppAddress::value));
        String stripped = value.strip();
        if (!value.startsWith(PREFIX)) {
            if (stripped.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                String rest = stripped.substring(PREFIX.length());
                throw new IllegalArgumentException(KIND + " \"" + value + "\" must start with exactly \""
                        + PREFIX + "\" (lower case, no spaces), e.g. \"" + PREFIX + rest.strip() + "\". " + FIX);
            }
            Optional<PhoneNumber> bare = PhoneNumber.parse(stripped);
            if (bare.isPresent()) {
                throw new IllegalArgumentException(KIND + " \"" + value + "\" is missing the whatsapp: prefix;"
                        + " use \"" + PREFIX + bare.get().value() + "\". " + FIX);
            }
            throw new IllegalArgumentException(KIND + " \"" + value + "\" must start with \"" + PREFIX
                    + "\". " + FIX);
        }
        String number = value.substring(PREFIX.length());
        try {
            return new WhatsAppAddress(PhoneNumber.of(number));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KIND + " \"" + value + "\": " + e.getMessage(), e);
        }
    }

    /** The WhatsApp address of {@code number}. */
    public static WhatsAppAddress of(PhoneNumber number) {
        return new WhatsAppAddress(number);
    }

    /** Parses a WhatsApp address, or returns empty when {@code value} is not one. */
    public static Optional<WhatsAppAddress> parse(String value) {
        return Sids.tryParse(value, WhatsAppAddress::of);
    }

    /** True for Twilio's shared sandbox sender {@link #SANDBOX}. */
    public boolean isSandbox() {
        return equals(SANDBOX);
    }

    @Override
    public String value() {
        return PREFIX + phoneNumber.value();
    }

    @Override
    public String masked() {
        return PREFIX + phoneNumber.masked();
    }

    @Override
    public String toString() {
        return value();
    }
}
