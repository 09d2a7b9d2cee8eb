package org.twiliochannels.core.internal.twilio;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.internal.SettingNames;
import org.twiliochannels.core.spi.Sender;

/**
 * A message checked for sending, in the library's own types: the recipient in Twilio's text form
 * (e.g. {@code whatsapp:+…}), the fixed sender or the Messaging Service, and the status callback
 * to ask for. {@link TwilioApi#create} turns it into Twilio's request at each attempt. Not API.
 *
 * @param to              the recipient, as Twilio writes it
 * @param from            the fixed sender, when no Messaging Service is used
 * @param service         the Messaging Service, which a scheduled message requires
 * @param message         what to send
 * @param statusCallback  the message's own callback, else the account's default
 */
public record Outgoing(String to, Optional<String> from, Optional<MessagingServiceSid> service, Message message,
                       Optional<URI> statusCallback) {
    /** The earliest a message can be scheduled, from now. */
    static final Duration MIN_SCHEDULE = Duration.ofMinutes(15);
    /** The latest a message can be scheduled, from now. */
    static final Duration MAX_SCHEDULE = Duration.ofDays(35);

    /** {@code message} to {@code to} from {@code sender}; see the other factory. */
    public static Outgoing of(Sender sender, Address to, Message message, Optional<URI> defaultCallback, Clock clock) {
        return of(sender.address().map(Address::value), sender.messagingService(), to.value(), message,
                defaultCallback, clock);
    }

    /**
     * {@code message} to {@code to}. A scheduled message goes through {@code service}, which it then
     * requires; otherwise {@code service} is used when present, else {@code from}.
     *
     * @throws InvalidMessageException when a scheduled message has no Messaging Service or its time is out of range
     */
    public static Outgoing of(Optional<String> from, Optional<MessagingServiceSid> service, String to, Message message,
                              Optional<URI> defaultCallback, Clock clock) {
        if (message.sendAt().isPresent()) {
            if (service.isEmpty()) {
                throw new InvalidMessageException("sendAt", "scheduled messages go through a Messaging Service: set "
                        + SettingNames.MESSAGING_SERVICE_SID + " (Twilio Console > Messaging > Services), or send now.");
            }
            checkScheduleWindow(message.sendAt().get(), clock.instant());
        }
        if (service.isEmpty() && from.isEmpty()) {
            throw new IllegalArgumentException("a message needs a sender: a fixed address or a Messaging Service");
        }
        return new Outgoing(to, service.isPresent() ? Optional.empty() : from, service, message,
                message.statusCallback().or(() -> defaultCallback));
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
