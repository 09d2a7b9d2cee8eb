package org.twiliochannels.core.internal.twilio;

import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.util.List;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Template;

/**
 * Turns an {@link Outgoing} into the SDK's {@link MessageCreator}. {@code SendAt} is left out: the
 * SDK writes it without its zone, so {@link TwilioApi} adds it to the request itself.
 */
final class Creators {
    private Creators() {}

    static MessageCreator creator(Outgoing o) {
        Message message = o.message();
        PhoneNumber to = new PhoneNumber(o.to());
        String body = message.body().orElse(null);
        List<java.net.URI> media = List.copyOf(message.mediaUrls());
        MessageCreator c;
        if (o.service().isPresent()) {
            String service = o.service().get().value();
            c = body != null || media.isEmpty()
                    ? com.twilio.rest.api.v2010.account.Message.creator(to, service, body)
                    : com.twilio.rest.api.v2010.account.Message.creator(to, service, media);
        } else {
            PhoneNumber from = new PhoneNumber(o.from().orElseThrow());
            c = body != null || media.isEmpty()
                    ? com.twilio.rest.api.v2010.account.Message.creator(to, from, body)
                    : com.twilio.rest.api.v2010.account.Message.creator(to, from, media);
        }
        if (body != null && !media.isEmpty()) {
            c.setMediaUrl(media);
        }
        message.template().ifPresent(t -> applyTemplate(c, t));
        if (message.sendAt().isPresent()) {
            c.setScheduleType(com.twilio.rest.api.v2010.account.Message.ScheduleType.FIXED);
        }
        message.validityPeriod().ifPresent(v -> c.setValidityPeriod((int) v.toSeconds()));
        o.statusCallback().ifPresent(c::setStatusCallback);
        return c;
    }

    private static void applyTemplate(MessageCreator c, Template t) {
        c.setContentSid(t.sid().value());
        if (!t.variables().isEmpty()) {
            c.setContentVariables(t.variablesJson());
        }
    }
}
