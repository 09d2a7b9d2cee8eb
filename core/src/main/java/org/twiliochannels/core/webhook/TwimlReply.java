package org.twiliochannels.core.webhook;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.internal.twilio.Twiml;

/**
 * The TwiML an inbound-message webhook answers with ({@code Content-Type: text/xml}), written with
 * the Twilio SDK's TwiML classes.
 */
public final class TwimlReply {
    private TwimlReply() {}

    /** No reply: {@code <Response/>}. Answer status callbacks with 204 or this. */
    public static String none() {
        return Twiml.reply(Optional.empty(), Optional.empty());
    }

    /** One reply message to the sender. */
    public static String message(String text) {
        Objects.requireNonNull(text, "text");
        return Twiml.reply(Optional.of(text), Optional.empty());
    }

    /** One reply message with a media attachment. */
    public static String message(String text, URI mediaUrl) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mediaUrl, "mediaUrl");
        return Twiml.reply(Optional.of(text), Optional.of(mediaUrl));
    }
}
