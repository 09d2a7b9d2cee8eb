package org.twiliochannels.core.internal;

import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;

/** Turns a {@link Message} into the SDK's {@link MessageCreator}; channels supply the addresses. Not API. */
public final class Creators {
    private Creators() {}

    /**
     * A creator sending {@code message} to {@code to} from {@code from} (a number or
     * {@code whatsapp:} address in Twilio's text form).
     */
    public static MessageCreator from(String from, String to, Message message, Optional<URI> defaultCallback) {
        MessageCreator c = message.body().isPresent()
                ? com.twilio.rest.api.v2010.account.Message.creator(new PhoneNumber(to), new PhoneNumber(from),
                        message.body().get())
                : com.twilio.rest.api.v2010.account.Message.creator(new PhoneNumber(to), new PhoneNumber(from),
                        List.copyOf(message.mediaUrls()));
        return withOptions(c, message, defaultCallback);
    }

    /** A creator sending {@code message} to {@code to} through a Messaging Service. */
    public static MessageCreator fromService(MessagingServiceSid service, String to, Message message,
                                             Optional<URI> defaultCallback) {
        MessageCreator c = message.body().isPresent()
                ? com.twilio.rest.api.v2010.account.Message.creator(new PhoneNumber(to), service.value(),
                        message.body().get())
                : com.twilio.rest.api.v2010.account.Message.creator(new PhoneNumber(to), service.value(),
                        List.copyOf(message.mediaUrls()));
        return withOptions(c, message, defaultCallback);
    }

    private static MessageCreator withOptions(MessageCreator c, Message message, Optional<URI> defaultCallback) {
        if (message.body().isPresent() && !message.mediaUrls().isEmpty()) {
            c.setMediaUrl(List.copyOf(message.mediaUrls()));
        }
        message.statusCallback().or(() -> defaultCallback).ifPresent(c::setStatusCallback);
        return c;
    }
}
