package org.twiliochannels.core.webhook;

import java.util.Map;

/** A verified webhook from Twilio: an {@link InboundMessage} or a {@link StatusCallback}. */
public sealed interface TwilioWebhook permits InboundMessage, StatusCallback {

    /** Every parameter as received (first value of each), those without a typed accessor included. */
    Map<String, String> parameters();

    /**
     * A key that is the same for every delivery of the same event: Twilio may call a webhook more
     * than once. Store it and skip events whose key was seen.
     */
    String deduplicationKey();
}
