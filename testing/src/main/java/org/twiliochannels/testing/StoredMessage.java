package org.twiliochannels.testing;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;

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
