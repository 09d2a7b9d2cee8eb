package org.twiliochannels.outbox;

import java.util.Locale;
import java.util.Objects;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * One conversation: a channel, the person's address and our sender, each as Twilio writes them
 * without the channel prefix ({@code sms}, {@code +14155551234}, {@code +14155550100}; a WhatsApp
 * conversation is {@code whatsapp}, {@code +14155551234}, {@code +14155238886}). State and questions
 * belong to one conversation, so a person who writes to two of your numbers has two.
 *
 * @param channel the channel id, e.g. {@code sms} or {@code whatsapp}
 * @param person  the person's address, without the {@code whatsapp:} prefix
 * @param sender  our number or sender the person writes to, without the prefix
 */
public record Conversation(String channel, String person, String sender) {
    /** The longest address, in characters. */
    public static final int MAX_ADDRESS_LENGTH = 128;

    /**
     * Validates and drops a {@code whatsapp:} prefix.
     *
     * @throws IllegalArgumentException naming the field and the fix
     */
    public Conversation {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(sender, "sender");
        if (!channel.matches("[a-z][a-z0-9_-]{0,15}")) {
            throw new IllegalArgumentException("channel \"" + channel + "\" must be a channel id: lower-case letters,"
                    + " digits, '-' and '_', at most 16 characters, e.g. \"sms\" or \"whatsapp\"");
        }
        person = bare(person, "person");
        sender = bare(sender, "sender");
    }

    /** An SMS conversation between {@code person} and our number {@code sender}. */
    public static Conversation sms(String person, String sender) {
        return new Conversation("sms", person, sender);
    }

    /** A WhatsApp conversation between {@code person} and our WhatsApp sender {@code sender} (with or without {@code whatsapp:}). */
    public static Conversation whatsApp(String person, String sender) {
        return new Conversation("whatsapp", person, sender);
    }

    /** The conversation a verified inbound message belongs to: its channel, its sender (the person) and the number it was sent to. */
    public static Conversation of(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        return new Conversation(message.channel(), message.from(), message.to());
    }

    /** True when {@code address} (as a message's recipient is given) is this conversation's person. */
    boolean isPerson(Address address) {
        String value = address.value();
        return bareValue(value).equals(person);
    }

    private static String bare(String value, String field) {
        String v = bareValue(value.strip());
        if (v.isEmpty() || v.length() > MAX_ADDRESS_LENGTH || v.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(field + " must be an address of 1 to " + MAX_ADDRESS_LENGTH
                    + " characters without spaces, e.g. +14155551234; was " + v.length() + " characters");
        }
        return v;
    }

    private static String bareValue(String value) {
        return value.toLowerCase(Locale.ROOT).startsWith(WhatsAppAddress.PREFIX)
                ? value.substring(WhatsAppAddress.PREFIX.length()) : value;
    }

    /** The person masked, e.g. {@code sms +1415***1234 to +14155550100}. */
    @Override
    public String toString() {
        String masked = person.length() <= 8 ? "***" : person.substring(0, 5) + "***" + person.substring(person.length() - 4);
        return "Conversation[" + channel + " " + masked + " to " + sender + "]";
    }
}
