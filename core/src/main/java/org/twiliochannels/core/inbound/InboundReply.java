package org.twiliochannels.core.inbound;

import java.net.URI;
import java.util.Objects;
import org.twiliochannels.core.webhook.TwimlReply;

/**
 * What an {@link InboundHandler} answers Twilio with: one message back to the sender now, as
 * TwiML, or nothing (an empty {@code <Response/>}). A handler that sends later (a follow-up, a
 * message on another channel) sends through a {@code Channel} itself and answers {@link #none()}.
 * {@link #twiml()} is the body of the webhook's answer ({@code 200}, {@code Content-Type: text/xml}).
 * {@link #toString()} never shows the text.
 */
public final class InboundReply {
    private static final InboundReply NONE = new InboundReply(TwimlReply.none(), true);

    private final String twiml;
    private final boolean none;

    private InboundReply(String twiml, boolean none) {
        this.twiml = twiml;
        this.none = none;
    }

    /** No reply now: {@code <Response/>}. */
    public static InboundReply none() {
        return NONE;
    }

    /** One message back to the sender, written by {@link TwimlReply#message(String)}. */
    public static InboundReply message(String text) {
        return new InboundReply(TwimlReply.message(Objects.requireNonNull(text, "text")), false);
    }

    /** One message with a media attachment, written by {@link TwimlReply#message(String, URI)}. */
    public static InboundReply message(String text, URI mediaUrl) {
        return new InboundReply(TwimlReply.message(text, mediaUrl), false);
    }

    /** The TwiML document to answer the webhook with. */
    public String twiml() {
        return twiml;
    }

    /** True for {@link #none()}. */
    public boolean isNone() {
        return none;
    }

    /** {@code InboundReply[none]} or {@code InboundReply[message, N chars of TwiML]}: never the text. */
    @Override
    public String toString() {
        return none ? "InboundReply[none]" : "InboundReply[message, " + twiml.length() + " chars of TwiML]";
    }
}
