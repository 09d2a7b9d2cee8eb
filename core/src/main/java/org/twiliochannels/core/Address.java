package org.twiliochannels.core;

import java.util.Objects;

/**
 * Where a message goes or comes from: a bare {@link PhoneNumber} (SMS) or a
 * {@link WhatsAppAddress}. Each channel says which kinds it accepts.
 */
public sealed interface Address permits PhoneNumber, WhatsAppAddress {

    /** The text form Twilio expects in {@code To} and {@code From}. */
    String value();

    /** The phone number behind this address. */
    PhoneNumber phoneNumber();

    /**
     * Parses {@code "whatsapp:+…"} as a WhatsApp address and anything else as an E.164 phone number.
     *
     * @throws IllegalArgumentException naming what is wrong and the E.164 form where it can be guessed
     */
    static Address parse(String value) {
        Objects.requireNonNull(value, "value");
        return value.regionMatches(true, 0, WhatsAppAddress.PREFIX, 0, WhatsAppAddress.PREFIX.length())
                ? WhatsAppAddress.of(value)
                : PhoneNumber.of(value);
    }

    /**
     * This address for logs: country code and last four digits kept, the middle hidden, e.g.
     * {@code "+1415***1234"} or {@code "whatsapp:+1415***1234"}.
     */
    String masked();
}
