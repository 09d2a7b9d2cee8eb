package org.twiliochannels.core.webhook;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;

/**
 * A delivery update for a message you sent: Twilio posts one per status change to the message's
 * {@code StatusCallback} URL.
 *
 * @param messageSid the message
 * @param status     its new status ({@code sent}, {@code delivered}, {@code read}, {@code failed} …)
 * @param errorCode  Twilio's error code for failed and undelivered messages
 * @param parameters every parameter as received
 */
public record StatusCallback(MessageSid messageSid, MessageStatus status, OptionalInt errorCode,
                             Map<String, String> parameters) implements TwilioWebhook {

    /** Validates and copies. */
    public StatusCallback {
        Objects.requireNonNull(messageSid, "messageSid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorCode, "errorCode");
        parameters = Map.copyOf(parameters);
    }

    /** Twilio's error message, when it sent one. */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(parameters.get("ErrorMessage"));
    }

    /** {@code "whatsapp"} for WhatsApp messages, else {@code "sms"}. */
    public String channel() {
        return "whatsapp".equals(parameters.get("ChannelPrefix"))
                || parameters.getOrDefault("To", "").startsWith("whatsapp:") ? "whatsapp" : "sms";
    }

    /** Message SID and status: the same event delivered twice has the same key. */
    @Override
    public String deduplicationKey() {
        return messageSid.value() + ":" + status.twilioName();
    }

    /** Never shows the numbers or Twilio's error message. */
    @Override
    public String toString() {
        return "StatusCallback[" + messageSid + ", status=" + status.twilioName()
                + (errorCode.isPresent() ? ", errorCode=" + errorCode.getAsInt() : "") + ", channel=" + channel() + "]";
    }
}
