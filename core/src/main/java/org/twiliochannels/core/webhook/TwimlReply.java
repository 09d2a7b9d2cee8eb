package org.twiliochannels.core.webhook;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Media;
import java.net.URI;
import java.util.Objects;

/**
 * The TwiML an inbound-message webhook answers with ({@code Content-Type: text/xml}), written with
 * the Twilio SDK's TwiML classes.
 */
public final class TwimlReply {
    private TwimlReply() {}

    /** No reply: {@code <Response/>}. Answer status callbacks with 204 or this. */
    public static String none() {
        return xml(new MessagingResponse.Builder().build());
    }

    /** One reply message to the sender. */
    public static String message(String text) {
        Objects.requireNonNull(text, "text");
        return xml(new MessagingResponse.Builder()
                .message(new com.twilio.twiml.messaging.Message.Builder().body(new Body.Builder(text).build()).build())
                .build());
    }

    /** One reply message with a media attachment. */
    public static String message(String text, URI mediaUrl) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mediaUrl, "mediaUrl");
        return xml(new MessagingResponse.Builder()
                .message(new com.twilio.twiml.messaging.Message.Builder().body(new Body.Builder(text).build())
                        .media(new Media.Builder(mediaUrl).build()).build())
                .build());
    }

    private static String xml(MessagingResponse response) {
        try {
            return response.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("the SDK could not write TwiML", e);
        }
    }
}
