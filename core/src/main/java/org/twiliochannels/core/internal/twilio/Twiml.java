package org.twiliochannels.core.internal.twilio;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Media;
import java.net.URI;
import java.util.Optional;

/** TwiML answers to an inbound message, written with the SDK's TwiML classes. Not API. */
public final class Twiml {
    private Twiml() {}

    /** {@code <Response/>} with one message of {@code text} (and {@code media}), or empty without text. */
    public static String reply(Optional<String> text, Optional<URI> media) {
        MessagingResponse.Builder response = new MessagingResponse.Builder();
        text.ifPresent(t -> {
            com.twilio.twiml.messaging.Message.Builder message = new com.twilio.twiml.messaging.Message.Builder()
                    .body(new Body.Builder(t).build());
            media.ifPresent(m -> message.media(new Media.Builder(m).build()));
            response.message(message.build());
        });
        try {
            return response.build().toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("the SDK could not write TwiML", e);
        }
    }
}
