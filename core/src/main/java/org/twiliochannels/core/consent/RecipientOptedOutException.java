package org.twiliochannels.core.consent;

import java.util.Objects;
import org.twiliochannels.core.TwilioChannelsException;

/**
 * A send was refused before any request because the recipient opted out in the sender's
 * {@link ConsentScope}: not sent, nothing billed. The message names the masked recipient, the scope,
 * and when and how they opted out. The recipient can be messaged again after they opt back in
 * (START) or the application records their consent in the {@link ConsentLedger}.
 */
public class RecipientOptedOutException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;
    private final transient ConsentChange optOut;

    /**
     * @param optOut the opt-out in force
     * @throws IllegalArgumentException when {@code optOut} is not an opt-out
     */
    public RecipientOptedOutException(ConsentChange optOut) {
        super(message(optOut));
        this.optOut = optOut;
    }

    /** The opt-out in force. */
    public ConsentChange optOut() {
        return optOut;
    }

    private static String message(ConsentChange c) {
        Objects.requireNonNull(c, "optOut");
        if (c.state() != ConsentState.OPTED_OUT) {
            throw new IllegalArgumentException("optOut must be an opt-out, was " + c.state());
        }
        String how;
        if (c.source() instanceof ConsentSource.Keyword k) {
            how = "by replying " + k.keyword() + " (message " + k.messageSid().value() + ")";
        } else if (c.source() instanceof ConsentSource.Api a) {
            how = "as recorded by " + a.who();
        } else {
            how = "as Twilio reported with error 21610";
        }
        String scope = c.scope().messagingService().isPresent() ? "Messaging Service " + c.scope().sender()
                : "sender " + c.scope().sender();
        return "not sent: " + c.recipient().masked() + " opted out of " + c.scope().channel() + " messages from "
                + scope + " (account " + c.scope().account().value() + ") at " + c.at() + ", " + how
                + "; no request was made. They can be messaged again once they reply START or you record their"
                + " consent in the ConsentLedger.";
    }
}
