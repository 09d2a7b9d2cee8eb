package org.twiliochannels.core.consent;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * Whose messages a consent covers, as Twilio scopes an opt-out (see {@link OptOutKeywords}): one
 * sender number, or a whole Messaging Service when one sends; on one channel ({@code sms},
 * {@code whatsapp} …: channels are kept apart); in one Twilio account (opt-outs are kept per
 * account, so that one process can send for many).
 *
 * <p>The {@code sender} is the Messaging Service SID ({@code MG…}) or the sender's address as
 * Twilio writes it in {@code From} ({@code +14155550100}, {@code whatsapp:+14155550100}, a short code
 * such as {@code 12345}). {@link #key()} is the canonical text form a store keys on.
 *
 * @param account the Twilio account
 * @param channel the channel id, lower case, e.g. {@code "sms"} or {@code "whatsapp"}
 * @param sender  the Messaging Service SID or the sender's address
 */
public record ConsentScope(AccountSid account, String channel, String sender) {
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");

    /** Validates. */
    public ConsentScope {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sender, "sender");
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel \"" + channel + "\" must be a channel id: lower-case letters,"
                    + " digits and '-', starting with a letter, e.g. \"sms\" or \"whatsapp\"");
        }
        if (sender.startsWith("MG")) {
            MessagingServiceSid.of(sender);
        } else if (!SHORT_CODE.matcher(sender).matches()) {
            try {
                Address.parse(sender);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sender \"" + sender + "\" must be a Messaging Service SID (MG…),"
                        + " a short code or the sender's address as Twilio writes it in From: " + e.getMessage(), e);
            }
        }
    }

    /** Consent for the messages one Messaging Service sends on {@code channel}, from any of its senders. */
    public static ConsentScope service(AccountSid account, String channel, MessagingServiceSid service) {
        Objects.requireNonNull(service, "service");
        return new ConsentScope(account, channel, service.value());
    }

    /** Consent for the messages one sender (a number or WhatsApp sender not in a Messaging Service) sends. */
    public static ConsentScope sender(AccountSid account, String channel, Address sender) {
        Objects.requireNonNull(sender, "sender");
        return new ConsentScope(account, channel, sender.value());
    }

    /**
     * The scope an inbound message's keyword applies to, as Twilio applies it: the Messaging Service
     * its {@code MessagingServiceSid} names when present, else the number it was sent to; its
     * channel; the account of its {@code AccountSid}.
     *
     * @throws IllegalArgumentException when the message carries no {@code AccountSid} (a verified
     *                                  form webhook always does)
     */
    public static ConsentScope of(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        String account = message.parameters().get("AccountSid");
        if (account == null) {
            throw new IllegalArgumentException("message: has no AccountSid parameter; pass a message verified by"
                    + " WebhookVerifier (Twilio sends AccountSid with every inbound message)");
        }
        String service = message.parameters().get("MessagingServiceSid");
        return new ConsentScope(AccountSid.of(account), message.channel(), service != null ? service : message.to());
    }

    /** The Messaging Service, when this scope is one. */
    public Optional<MessagingServiceSid> messagingService() {
        return sender.startsWith("MG") ? Optional.of(MessagingServiceSid.of(sender)) : Optional.empty();
    }

    /** The canonical key of this scope, {@code account/channel/sender}, e.g. {@code AC…/sms/MG…}. */
    public String key() {
        return account.value() + "/" + channel + "/" + sender;
    }

    @Override
    public String toString() {
        return key();
    }
}
