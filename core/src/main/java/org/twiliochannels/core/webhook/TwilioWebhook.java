package org.twiliochannels.core.webhook;

import java.util.Map;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;

/** A verified webhook from Twilio: an {@link InboundMessage} or a {@link StatusCallback}. */
public sealed interface TwilioWebhook permits InboundMessage, StatusCallback {

    /** Every parameter as received (first value of each), those without a typed accessor included. */
    Map<String, String> parameters();

    /**
     * A key that is the same for every delivery of the same event: Twilio may call a webhook more
     * than once. Store it and skip events whose key was seen.
     */
    String deduplicationKey();

    /**
     * The account the webhook is for, from its {@code AccountSid} parameter; empty when it has none
     * or not an Account SID. A webhook from {@link MultiAccountWebhookVerifier} always has it: its
     * signature was checked with that account's token.
     */
    default Optional<AccountSid> accountSid() {
        String value = parameters().get("AccountSid");
        return value == null ? Optional.empty() : AccountSid.parse(value);
    }
}
