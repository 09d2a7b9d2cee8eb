package org.twiliochannels.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message the {@link FakeTwilio} created for a request, as the request arrived: every parameter kept.
 *
 * @param sid    the SID the fake gave it
 * @param to     {@code To} as sent (with {@code whatsapp:} for WhatsApp)
 * @param from   {@code From} as sent, or the Messaging Service SID when that was used instead
 * @param params every form parameter of the request
 */
public record SentMessage(String sid, String to, String from, FormBody params) {
    /** Validates the components. */
    public SentMessage {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(params, "params");
    }

    /**
     * The channel as the address prefix of {@code To} says: {@code "whatsapp"} for
     * {@code whatsapp:+…}, another prefix such as {@code "messenger"} for {@code messenger:…}, and
     * {@code "sms"} for a bare number.
     */
    public String channel() {
        return TwilioRules.channelOf(to);
    }

    /** {@code Body}, if sent. */
    public Optional<String> body() {
        return params.first("Body");
    }

    /** Every {@code MediaUrl}, in order. */
    public List<String> mediaUrls() {
        return params.all("MediaUrl");
    }

    /** {@code ContentSid} of a template message, if sent. */
    public Optional<String> contentSid() {
        return params.first("ContentSid");
    }

    /** {@code ContentVariables}, the template variables as JSON, if sent. */
    public Optional<String> contentVariables() {
        return params.first("ContentVariables");
    }

    /** {@code StatusCallback}, if sent. */
    public Optional<String> statusCallback() {
        return params.first("StatusCallback");
    }
}
