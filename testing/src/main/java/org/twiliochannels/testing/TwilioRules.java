package org.twiliochannels.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.testing.JsonShapes.ApiError;

/**
 * Twilio's rules for a message-create request, in the order Twilio applies them: required
 * parameters, address forms and channel pairs, the magic test numbers, senders the account owns,
 * the WhatsApp sandbox and 24-hour window, body length, trial restrictions and account status.
 */
final class TwilioRules {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern PREFIXED = Pattern.compile("([a-z][a-z0-9-]*):(\\S+)");
    private static final Map<String, ApiError> MAGIC_TO = Map.of(
            "+15005550001", new ApiError(400, 21211, "The 'To' number +15005550001 is not a valid phone number."),
            "+15005550002", new ApiError(400, 21612, "The 'To' phone number: +15005550002, is not currently reachable"
                    + " using the 'From' phone number via SMS."),
            "+15005550003", new ApiError(400, 21408, "Permission to send an SMS has not been enabled for the region"
                    + " indicated by the 'To' number: +15005550003."),
            "+15005550004", new ApiError(400, 21610, "Attempt to send to unsubscribed recipient"),
            "+15005550009", new ApiError(400, 21614, "'To' number is not a valid mobile number"));
    private static final Map<String, ApiError> MAGIC_FROM = Map.of(
            "+15005550001", new ApiError(400, 21212, "The 'From' number +15005550001 is not a valid phone number,"
                    + " shortcode, or alphanumeric sender ID."),
            "+15005550007", new ApiError(400, 21606, "The 'From' phone number provided is not a valid, message-capable"
                    + " Twilio phone number for this destination/account."),
            "+15005550008", new ApiError(400, 21611, "This 'From' number has exceeded the maximum number of queued"
                    + " messages"));

    private final AccountState account;
    private final ContentStore content;
    private final Clock clock;

    TwilioRules(AccountState account, ContentStore content, Clock clock) {
        this.account = account;
        this.content = content;
        this.clock = clock;
    }

    /** True when WhatsApp refuses free-form text to {@code number}: closed by the test, or (enforced) no message in 24 h. */
    private boolean windowClosed(String number) {
        if (account.closedWindows.contains(number)) {
            return true;
        }
        if (!account.windowsEnforced) {
            return false;
        }
        Instant last = account.lastInbound.get(number);
        return last == null || !clock.instant().isBefore(last.plus(Duration.ofHours(24)));
    }

    /** Why Twilio would refuse to create {@code form}, or empty when it would create it. */
    Optional<ApiError> check(FormBody form) {
        Optional<String> to = form.first("To");
        Optional<String> from = form.first("From");
        Optional<String> body = form.first("Body");
        boolean hasContent = body.filter(b -> !b.isEmpty()).isPresent() || !form.all("MediaUrl").isEmpty()
                || form.first("ContentSid").isPresent();
        if (to.isEmpty()) {
            return reject(21604, "A 'To' phone number is required.");
        }
        if (from.isEmpty() && form.first("MessagingServiceSid").isEmpty()) {
            return reject(21603, "A 'From' phone number is required.");
        }
        if (!hasContent) {
            return reject(21602, "Message body is required.");
        }
        Wire toAddress = Wire.of(to.get());
        if (!toAddress.valid()) {
            return reject(21211, "Invalid 'To' Phone Number: " + to.get());
        }
        if (from.isPresent()) {
            Wire fromAddress = Wire.of(from.get());
            if (!fromAddress.valid()) {
                return reject(21212, "Invalid From Number (caller ID): " + from.get());
            }
            if (!fromAddress.channel().equals(toAddress.channel())) {
                return reject(21910, "Invalid From and To pair. From and To should be of the same channel");
            }
            ApiError magic = MAGIC_FROM.get(fromAddress.id());
            if (magic != null) {
                return Optional.of(magic);
            }
            if (fromAddress.channel().equals("sms") && !account.ownedSmsNumbers.contains(fromAddress.id())) {
                return reject(21606, "The From phone number " + fromAddress.id()
                        + " is not a valid, SMS-capable inbound phone number or short code for your account.");
            }
            if (fromAddress.channel().equals("whatsapp")
                    && fromAddress.id().equals(WhatsAppAddress.SANDBOX.phoneNumber().value())
                    && !account.sandboxMembers.contains(toAddress.id())) {
                return reject(63015, "Channel Sandbox can only send messages to phone numbers that have joined the"
                        + " Sandbox");
            }
        }
        if (toAddress.channel().equals("whatsapp") && windowClosed(toAddress.id())
                && form.first("ContentSid").isEmpty()) {
            return reject(63016, "Failed to send freeform message because you are outside the allowed window."
                    + " If you are using WhatsApp, please use a Message Template.");
        }
        Optional<ContentStore.Entry> template = form.first("ContentSid").flatMap(ContentSid::parse).flatMap(content::get);
        if (toAddress.channel().equals("whatsapp") && windowClosed(toAddress.id())
                && template.isPresent() && (!template.get().status().approved()
                        || template.get().body().path("types").has("twilio/list-picker"))) {
            // Outside the window WhatsApp takes only approved templates of a type that may start a conversation.
            return reject(63016, "Failed to send freeform message because you are outside the allowed window."
                    + " If you are using WhatsApp, please use a Message Template.");
        }
        if (body.isPresent() && body.get().codePointCount(0, body.get().length()) > Message.MAX_BODY_LENGTH) {
            return reject(21617, "The concatenated message body exceeds the 1600 character limit.");
        }
        ApiError magic = MAGIC_TO.get(toAddress.id());
        if (magic != null) {
            return Optional.of(magic);
        }
        if (account.trial && toAddress.isNumber() && !account.verifiedNumbers.contains(toAddress.id())) {
            return reject(21608, "The number " + toAddress.id() + " is unverified. Trial accounts cannot send"
                    + " messages to unverified numbers; verify " + toAddress.id() + " in the Console, or purchase"
                    + " a Twilio number to send messages to unverified numbers");
        }
        if (account.status != FakeTwilio.AccountStatus.ACTIVE) {
            return Optional.of(new ApiError(401, 20003, "Authenticate"));
        }
        return Optional.empty();
    }

    private static Optional<ApiError> reject(int code, String message) {
        return Optional.of(new ApiError(400, code, message));
    }

    /** The channel of an address as written in {@code To} / {@code From}: {@code sms}, {@code whatsapp} or another prefix. */
    static String channelOf(String address) {
        return Wire.of(address).channel();
    }

    /**
     * An address as written on the wire: a bare E.164 number (SMS), {@code whatsapp:+…}, or another
     * channel's {@code prefix:identifier} (Twilio checks only the form of those).
     */
    private record Wire(String channel, String id, boolean valid) {
        static Wire of(String text) {
            var m = PREFIXED.matcher(text);
            if (m.matches()) {
                String channel = m.group(1);
                String id = m.group(2);
                return new Wire(channel, id, !channel.equals("whatsapp") || E164.matcher(id).matches());
            }
            return new Wire("sms", text, E164.matcher(text).matches());
        }

        boolean isNumber() {
            return channel.equals("sms") || channel.equals("whatsapp");
        }
    }
}
