package org.twiliochannels.core.internal.twilio;

import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.settings.TwilioEnvironment;

/** Turns a {@link Message} into the SDK's {@link MessageCreator}; channels supply the addresses. Not API. */
public final class Creators {
    /** The earliest a message can be scheduled, from now. */
    static final Duration MIN_SCHEDULE = Duration.ofMinutes(15);
    /** The latest a message can be scheduled, from now. */
    static final Duration MAX_SCHEDULE = Duration.ofDays(35);

    private Creators() {}

    /** A creator sending {@code message} to {@code to} from {@code sender}; see the other overload. */
    public static MessageCreator create(org.twiliochannels.core.spi.Sender sender, org.twiliochannels.core.Address to,
                                        Message message, Optional<URI> defaultCallback, Clock clock) {
        return create(sender.address().map(org.twiliochannels.core.Address::value), sender.messagingService(),
                to.value(), message, defaultCallback, clock);
    }

    /**
     * A creator sending {@code message} to {@code to} (Twilio's text form, e.g. {@code whatsapp:+…}).
     * A scheduled message goes through {@code service}, which it then requires; otherwise {@code service}
     * is used when present, else {@code from}.
     *
     * @throws InvalidMessageException when a scheduled message has no Messaging Service or its time is out of range
     */
    public static MessageCreator create(Optional<String> from, Optional<MessagingServiceSid> service, String to,
                                        Message message, Optional<URI> defaultCallback, Clock clock) {
        if (message.sendAt().isPresent()) {
            if (service.isEmpty()) {
                throw new InvalidMessageException("sendAt", "scheduled messages go through a Messaging Service: set "
                        + TwilioEnvironment.MESSAGING_SERVICE_SID + " (Twilio Console > Messaging > Services), or send now.");
            }
            checkScheduleWindow(message.sendAt().get(), clock.instant());
        }
        PhoneNumber toNumber = new PhoneNumber(to);
        String body = message.body().orElse(null);
        MessageCreator c;
        if (service.isPresent()) {
            c = body != null || message.mediaUrls().isEmpty()
                    ? com.twilio.rest.api.v2010.account.Message.creator(toNumber, service.get().value(), body)
                    : com.twilio.rest.api.v2010.account.Message.creator(toNumber, service.get().value(),
                            List.copyOf(message.mediaUrls()));
        } else {
            PhoneNumber fromNumber = new PhoneNumber(from.orElseThrow());
            c = body != null || message.mediaUrls().isEmpty()
                    ? com.twilio.rest.api.v2010.account.Message.creator(toNumber, fromNumber, body)
                    : com.twilio.rest.api.v2010.account.Message.creator(toNumber, fromNumber,
                            List.copyOf(message.mediaUrls()));
        }
        if (body != null && !message.mediaUrls().isEmpty()) {
            c.setMediaUrl(List.copyOf(message.mediaUrls()));
        }
        message.template().ifPresent(t -> applyTemplate(c, t));
        message.sendAt().ifPresent(at -> {
            c.setScheduleType(com.twilio.rest.api.v2010.account.Message.ScheduleType.FIXED);
            c.setSendAt(at.atZone(ZoneOffset.UTC)); // the SDK drops a non-UTC offset without converting it
        });
        message.validityPeriod().ifPresent(v -> c.setValidityPeriod((int) v.toSeconds()));
        message.statusCallback().or(() -> defaultCallback).ifPresent(c::setStatusCallback);
        return c;
    }

    private static void applyTemplate(MessageCreator c, Template t) {
        c.setContentSid(t.sid().value());
        if (!t.variables().isEmpty()) {
            c.setContentVariables(t.variablesJson());
        }
    }

    static void checkScheduleWindow(Instant sendAt, Instant now) {
        if (sendAt.isBefore(now.plus(MIN_SCHEDULE))) {
            throw new InvalidMessageException("sendAt", sendAt + " is less than 15 minutes from now (" + now
                    + "); Twilio schedules 15 minutes to 35 days ahead. Send now instead, or later.");
        }
        if (sendAt.isAfter(now.plus(MAX_SCHEDULE))) {
            throw new InvalidMessageException("sendAt", sendAt + " is more than 35 days from now (" + now
                    + "); Twilio schedules 15 minutes to 35 days ahead.");
        }
    }
}
