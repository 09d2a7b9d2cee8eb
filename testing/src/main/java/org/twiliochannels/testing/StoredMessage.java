package org.twiliochannels.testing;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.SegmentCount;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * One message resource as the fake holds it: immutable, replaced as a whole when its status moves.
 *
 * @param sid           the SID the fake gave it
 * @param seq           its place in the order of arrival (ties of {@code date_created} list the later first)
 * @param to            {@code To} as sent
 * @param from          {@code From} as sent; empty when a Messaging Service picked the sender
 * @param service       {@code MessagingServiceSid}, if one was sent
 * @param body          the body ({@code ""} when none)
 * @param numMedia      how many media URLs were sent
 * @param numSegments   the segments Twilio bills for it
 * @param status        where it is in its life
 * @param errorCode     the error of a failed or undelivered message
 * @param dateCreated   when it was created, on the fake's clock
 * @param dateSent      when it left Twilio; empty until then
 * @param dateUpdated   when it last changed
 * @param request       the create request, empty for a {@link PastMessage seeded} message
 */
record StoredMessage(MessageSid sid, long seq, String to, Optional<String> from, Optional<String> service,
                     String body, int numMedia, int numSegments, MessageStatus status, OptionalInt errorCode,
                     Instant dateCreated, Optional<Instant> dateSent, Instant dateUpdated,
                     Optional<FormBody> request) {

    /**
     * The message a test seeds: the sender defaulted for phone numbers ({@link FakeTwilio#DEFAULT_SMS_NUMBER})
     * and WhatsApp addresses (the sandbox), created {@code now} unless said otherwise.
     *
     * @throws IllegalArgumentException when another kind of recipient has no sender
     */
    static StoredMessage past(PastMessage past, MessageSid sid, long seq, Instant now) {
        Address to = past.recipient();
        Optional<String> from = past.sender().map(Address::value);
        if (from.isEmpty() && past.service().isEmpty()) {
            if (to instanceof PhoneNumber) {
                from = Optional.of(FakeTwilio.DEFAULT_SMS_NUMBER.value());
            } else if (to instanceof WhatsAppAddress) {
                from = Optional.of(WhatsAppAddress.SANDBOX.value());
            } else {
                throw new IllegalArgumentException("a past message to " + to.value()
                        + " needs a sender: call from(...) or messagingService(...)");
            }
        }
        Instant created = past.createdAt().orElse(now);
        Optional<Instant> sent = past.sentAt().or(() -> leftTwilio(past.status()) ? Optional.of(created)
                : Optional.empty());
        int segments = to instanceof PhoneNumber ? SegmentCount.of(past.body()).segments() : 1;
        return new StoredMessage(sid, seq, to.value(), from, past.service().map(MessagingServiceSid::value),
                past.body(), past.mediaCount(), segments, past.status(), OptionalInt.empty(), created, sent,
                sent.orElse(created), Optional.empty());
    }

    /** True for a message put in the log by {@link FakeTwilio#seedMessage(PastMessage)}. */
    boolean seeded() {
        return request.isEmpty();
    }

    /** This message moved on to {@code next} at {@code now}; leaving Twilio sets {@code date_sent} once. */
    StoredMessage moveTo(MessageStatus next, OptionalInt error, Instant now) {
        Optional<Instant> sent = dateSent.isPresent() || !leftTwilio(next) ? dateSent : Optional.of(now);
        return new StoredMessage(sid, seq, to, from, service, body, numMedia, numSegments, next,
                error.isPresent() ? error : errorCode, dateCreated, sent, now, request);
    }

    /** True for the statuses of a message that was handed to the carrier or WhatsApp. */
    static boolean leftTwilio(MessageStatus status) {
        return switch (status) {
            case SENT, DELIVERED, READ, UNDELIVERED, PARTIALLY_DELIVERED -> true;
            default -> false;
        };
    }

    /** The record of an accepted create request, as {@link FakeTwilio#sent()} lists it. */
    SentMessage asSent() {
        return new SentMessage(sid.value(), to, from.or(() -> service).orElse(""), request.orElseThrow());
    }
}
