package org.twiliochannels.testing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.MessagingServiceSid;

/**
 * A message that is already in the account's log when a test starts, as if it had been sent
 * earlier, for {@link FakeTwilio#seedMessage(PastMessage)}: an identical body sent an hour ago, a
 * log long enough that the match is on the second page. A seeded message is listed and fetched like
 * any other, but is not among what the code under test {@link FakeTwilio#sent() sent}.
 *
 * <pre>{@code
 * twilio.seedMessage(PastMessage.to(PhoneNumber.of("+14155551234")).body("Your code is 1234")
 *         .createdAt(Instant.parse("2026-01-05T10:15:00Z")));
 * }</pre>
 *
 * <p>Defaults: the sender is {@link FakeTwilio#DEFAULT_SMS_NUMBER} for a phone number and the
 * WhatsApp sandbox for a WhatsApp address (other addresses need {@link #from(Address)}); the body
 * is empty, with no media; it was created now on the fake's clock; its status is
 * {@code delivered}; {@code date_sent} is its creation time when the status says it left Twilio
 * ({@code sent}, {@code delivered}, {@code read}, {@code undelivered}), else none.
 */
public final class PastMessage {
    private final Address to;
    private Optional<Address> from = Optional.empty();
    private Optional<MessagingServiceSid> service = Optional.empty();
    private String body = "";
    private int mediaCount;
    private Optional<Instant> createdAt = Optional.empty();
    private MessageStatus status = MessageStatus.DELIVERED;
    private Optional<Instant> sentAt = Optional.empty();

    private PastMessage(Address to) {
        this.to = Objects.requireNonNull(to, "to");
    }

    /** A past message to {@code to}. */
    public static PastMessage to(Address to) {
        return new PastMessage(to);
    }

    /** Sent from {@code from}. */
    public PastMessage from(Address from) {
        this.from = Optional.of(Objects.requireNonNull(from, "from"));
        return this;
    }

    /** Sent through a Messaging Service ({@code from} stays as set, none by default when this is given). */
    public PastMessage messagingService(MessagingServiceSid service) {
        this.service = Optional.of(Objects.requireNonNull(service, "service"));
        return this;
    }

    /** With this body. */
    public PastMessage body(String body) {
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /** With this many media attachments. */
    public PastMessage mediaCount(int mediaCount) {
        if (mediaCount < 0 || mediaCount > 10) {
            throw new IllegalArgumentException("mediaCount must be from 0 to 10, as Twilio allows, was " + mediaCount);
        }
        this.mediaCount = mediaCount;
        return this;
    }

    /** Created at {@code createdAt} ({@code date_created}, which orders the log). */
    public PastMessage createdAt(Instant createdAt) {
        this.createdAt = Optional.of(Objects.requireNonNull(createdAt, "createdAt"));
        return this;
    }

    /**
     * In this status.
     *
     * @throws IllegalArgumentException for statuses of inbound messages and {@code UNKNOWN}
     */
    public PastMessage status(MessageStatus status) {
        this.status = FakeTwilio.outboundStatus(status);
        return this;
    }

    /** Left Twilio at {@code sentAt} ({@code date_sent}, which {@code DateSent} filters on). */
    public PastMessage sentAt(Instant sentAt) {
        this.sentAt = Optional.of(Objects.requireNonNull(sentAt, "sentAt"));
        return this;
    }

    Address recipient() {
        return to;
    }

    Optional<Address> sender() {
        return from;
    }

    Optional<MessagingServiceSid> service() {
        return service;
    }

    String body() {
        return body;
    }

    int mediaCount() {
        return mediaCount;
    }

    Optional<Instant> createdAt() {
        return createdAt;
    }

    MessageStatus status() {
        return status;
    }

    Optional<Instant> sentAt() {
        return sentAt;
    }

    @Override
    public String toString() {
        return "PastMessage[to=" + to.value() + ", status=" + status.twilioName() + createdAt.map(c -> ", created "
                + c).orElse("") + "]";
    }
}
