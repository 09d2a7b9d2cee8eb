package org.twiliochannels.core;

import java.util.Objects;

/**
 * Where a message goes or comes from, as Twilio writes it in {@code To} and {@code From}: a bare
 * {@link PhoneNumber} (SMS), a {@link WhatsAppAddress}, or another channel's prefixed address
 * ({@link PrefixedAddress}, e.g. {@code messenger:1234567890}). Each channel's policy says which
 * kinds it accepts. Implementations are immutable values.
 */
public interface Address {

    /** The text form Twilio expects in {@code To} and {@code From}. */
    String value();

    /**
     * This address for logs: for numbers the country code and last four digits kept, the middle
     * hidden, e.g. {@code "+1415***1234"} or {@code "whatsapp:+1415***1234"}.
     */
    String masked();

    /**
     * Parses {@code "whatsapp:+…"} as a WhatsApp address, another {@code "channel:identifier"} as a
     * {@link PrefixedAddress}, and anything else as an E.164 phone number.
     *
     * @throws IllegalArgumentException naming what is wrong and the E.164 form where it can be guessed
     */
    static Address parse(String value) {
        Objects.requireNonNull(value, "value");
        if (value.regionMatches(true, 0, WhatsAppAddress.PREFIX, 0, WhatsAppAddress.PREFIX.length())) {
            return WhatsAppAddress.of(value);
        }
        if (PrefixedAddress.looksPrefixed(value)) {
            return PrefixedAddress.of(value);
        }
        return PhoneNumber.of(value);
    }
}
