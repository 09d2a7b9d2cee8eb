package org.twiliochannels.core.consent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.core.webhook.InboundMessage.Keyword;

/**
 * One change of a recipient's consent in one {@link ConsentScope}: the unit of the audit trail a
 * {@link ConsentLedger} keeps. {@link #toString()} masks the recipient.
 *
 * @param recipient the person, as Twilio writes them in {@code To}: {@code +1…} on SMS,
 *                  {@code whatsapp:+1…} on WhatsApp
 * @param scope     whose messages the change covers
 * @param state     the state from this change on
 * @param source    how it came about
 * @param at        when it took effect
 */
public record ConsentChange(Address recipient, ConsentScope scope, ConsentState state, ConsentSource source,
                            Instant at) {

    /**
     * Validates: the recipient's kind fits the channel, and the source fits the state (an opt-out
     * keyword or error 21610 only opts out, an opt-in keyword only opts in, HELP changes nothing).
     */
    public ConsentChange {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        boolean whatsapp = recipient instanceof WhatsAppAddress;
        if (whatsapp != scope.channel().equals("whatsapp")) {
            throw new IllegalArgumentException("recipient " + recipient.masked() + " does not fit channel \""
                    + scope.channel() + "\": use a whatsapp: address for the whatsapp channel and only there");
        }
        if (source instanceof ConsentSource.Keyword k) {
            Keyword kind = OptOutKeywords.kindOf(k.keyword());
            if (kind == Keyword.HELP) {
                throw new IllegalArgumentException("source keyword " + k.keyword() + " is a help keyword; help changes"
                        + " no consent, so record nothing for it");
            }
            ConsentState implied = kind == Keyword.STOP ? ConsentState.OPTED_OUT : ConsentState.OPTED_IN;
            if (implied != state) {
                throw new IllegalArgumentException("state " + state + " contradicts source keyword " + k.keyword()
                        + ", which means " + implied);
            }
        }
        if (source instanceof ConsentSource.Error21610 && state != ConsentState.OPTED_OUT) {
            throw new IllegalArgumentException("state " + state + " contradicts source error 21610, which only"
                    + " means OPTED_OUT");
        }
    }

    /** The recipient opted out. */
    public static ConsentChange optOut(Address recipient, ConsentScope scope, ConsentSource source, Instant at) {
        return new ConsentChange(recipient, scope, ConsentState.OPTED_OUT, source, at);
    }

    /** The recipient opted in. */
    public static ConsentChange optIn(Address recipient, ConsentScope scope, ConsentSource source, Instant at) {
        return new ConsentChange(recipient, scope, ConsentState.OPTED_IN, source, at);
    }

    /**
     * The change an inbound message makes, as Twilio makes it: an opt-out or opt-in keyword (see
     * {@link OptOutKeywords#classify(InboundMessage)}) from its sender, in the scope of
     * {@link ConsentScope#of(InboundMessage)}. Empty for a help keyword and any other message.
     *
     * @param at when the message was received
     */
    public static Optional<ConsentChange> of(InboundMessage message, Instant at) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
        Optional<Keyword> kind = OptOutKeywords.classify(message);
        if (kind.isEmpty() || kind.get() == Keyword.HELP) {
            return Optional.empty();
        }
        String keyword = OptOutKeywords.recordedKeyword(message).orElseThrow();
        ConsentSource source = new ConsentSource.Keyword(keyword, MessageSid.of(message.messageSid()));
        ConsentState state = kind.get() == Keyword.STOP ? ConsentState.OPTED_OUT : ConsentState.OPTED_IN;
        return Optional.of(new ConsentChange(Address.parse(message.from()), ConsentScope.of(message), state, source, at));
    }

    /**
     * The opt-out a status callback reports: a message that failed with error 21610 (a Messaging
     * Service accepts the request and fails the message later), for its recipient ({@code To}), in
     * the scope of its {@code MessagingServiceSid} when present, else of its {@code From}; source
     * {@link ConsentSource.Error21610} with the message SID. Empty for any other callback, and for
     * one without {@code AccountSid}, {@code To} or a sender (Twilio sends them with every callback).
     *
     * @param at when the callback was received
     */
    public static Optional<ConsentChange> of(StatusCallback callback, Instant at) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(at, "at");
        if (callback.errorCode().isEmpty() || callback.errorCode().getAsInt() != 21610) {
            return Optional.empty();
        }
        java.util.Map<String, String> p = callback.parameters();
        String account = p.get("AccountSid");
        String to = p.get("To");
        String sender = p.getOrDefault("MessagingServiceSid", p.get("From"));
        if (account == null || to == null || sender == null) {
            return Optional.empty();
        }
        ConsentScope scope = new ConsentScope(AccountSid.of(account), callback.channel(), sender);
        ConsentSource source = new ConsentSource.Error21610(Optional.of(callback.messageSid()),
                "status callback: message failed with error 21610");
        return Optional.of(optOut(Address.parse(to), scope, source, at));
    }

    /** Never shows the recipient in full. */
    @Override
    public String toString() {
        return "ConsentChange[" + recipient.masked() + ", " + scope + ", " + state + ", " + source.kind() + ", " + at + "]";
    }
}
