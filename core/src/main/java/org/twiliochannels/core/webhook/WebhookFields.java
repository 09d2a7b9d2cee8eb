package org.twiliochannels.core.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/**
 * The shape of the fields Twilio sends with messaging webhooks, checked after the signature. These
 * checks are what makes a replay with shifted name/value boundaries fail: Twilio signs the URL
 * followed by names and values run together, so {@code ApiVersion=2010-04-01&ErrorCode=30003}
 * signs exactly as {@code ApiVersion=2010-04-01ErrorCode30003}. A field in Twilio's fixed form
 * cannot absorb a neighbour, and a field Twilio always sends cannot disappear into one. Messages
 * name the field and the rule, never the value.
 */
final class WebhookFields {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final Pattern SID_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,6}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern WHATSAPP = Pattern.compile("whatsapp:\\+[1-9][0-9]{6,14}");
    private static final Pattern PREFIXED = Pattern.compile("[a-z][a-z0-9-]{0,31}:[\\x21-\\x7e]{1,256}");
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
    private static final Pattern ALPHANUMERIC_SENDER = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");
    private static final Pattern LOWER_WORD = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(;[\\x20-\\x7e]{0,256})?");
    private static final Pattern MEDIA_NAME = Pattern.compile("(MediaUrl|MediaContentType)([0-9]+)");
    private static final int MAX_MEDIA = 99;
    private static final Set<String> STATUSES = Stream.of(MessageStatus.values())
            .filter(s -> s != MessageStatus.UNKNOWN).map(MessageStatus::twilioName).collect(Collectors.toUnmodifiableSet());
    private static final String ADDRESS_FORMS = "an E.164 number (+14155550100), whatsapp: and an E.164 number,"
            + " prefix:identifier (messenger:1234567890) or a short code";

    private WebhookFields() {}

    /** True for a parameter name in Twilio's form: ASCII letters and digits, starting with a letter, at most 64. */
    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The name for a message: itself when in Twilio's form, else only its length. */
    static String shownName(String name) {
        return isName(name) ? name : "(a name of " + name.length() + " characters, not in Twilio's form)";
    }

    /** Rejects names that Twilio would not send: the tail of a value split off into a name of its own. */
    static void checkNames(Collection<String> names) {
        for (String name : names) {
            if (!isName(name)) {
                throw new WebhookRejectedException(Reason.BAD_FIELD, "a parameter name " + shownName(name)
                        + " is not made of ASCII letters and digits starting with a letter, as every name Twilio"
                        + " sends is; the request was not sent by Twilio as it is");
            }
        }
    }

    /**
     * Checks the fields and reads them.
     *
     * @param form true for a form body, where every field Twilio always sends must be present; a
     *             JSON body is signed byte for byte, so its fields are checked when present
     */
    static TwilioWebhook read(Map<String, String> p, boolean form, AccountSid account) {
        String sid = p.containsKey("MessageSid") || form ? p.get("MessageSid") : p.get("SmsSid");
        boolean status = p.containsKey("MessageStatus");
        boolean inbound = !status && (p.containsKey("Body") || p.containsKey("NumMedia"));
        if (sid == null && !status && !inbound) {
            throw new WebhookRejectedException(Reason.NOT_A_MESSAGING_WEBHOOK, "signed, but has no MessageSid:"
                    + " not a messaging webhook");
        }
        if (!status && !inbound) {
            throw new WebhookRejectedException(Reason.NOT_A_MESSAGING_WEBHOOK, "signed, but neither an inbound"
                    + " message (Body, NumMedia) nor a status callback (MessageStatus)");
        }
        checkAccount(p, form, account);
        String apiVersion = field(p, "ApiVersion", form);
        if (apiVersion != null && !apiVersion.equals(WebhookVerifier.API_VERSION)) {
            throw bad("ApiVersion", "must be " + WebhookVerifier.API_VERSION);
        }
        String messageSid = messageSid(p, sid == null ? "MessageSid" : p.containsKey("MessageSid") ? "MessageSid" : "SmsSid");
        for (String same : List.of("SmsSid", "SmsMessageSid")) {
            String other = p.get(same);
            if (other != null && !other.equals(messageSid)) {
                throw bad(same, "must equal MessageSid, as in every request Twilio sends");
            }
        }
        sid("MessagingServiceSid", p.get("MessagingServiceSid"), "MG");
        lowerWord(p, "ChannelPrefix");
        lowerWord(p, "SmsStatus");
        number(p, "NumSegments");
        number(p, "ReferralNumMedia");
        OptionalInt errorCode = OptionalInt.empty();
        String ec = p.get("ErrorCode");
        if (ec != null && !ec.isEmpty()) {
            errorCode = OptionalInt.of(number(p, "ErrorCode"));
        }
        if (status) {
            String s = p.get("MessageStatus");
            if (!STATUSES.contains(s)) {
                throw bad("MessageStatus", "must be one of Twilio's statuses " + STATUSES.stream().sorted().toList());
            }
            address(p, "From", false, true);
            address(p, "To", false, false);
            return new StatusCallback(MessageSid.of(messageSid), MessageStatus.fromTwilio(s), errorCode, p);
        }
        String from = address(p, "From", true, false);
        String to = address(p, "To", true, false);
        String body = field(p, "Body", form);
        List<InboundMessage.Media> media = media(p, form);
        return new InboundMessage(messageSid, from, to, body == null ? "" : body, media, p);
    }

    private static void checkAccount(Map<String, String> p, boolean form, AccountSid account) {
        String value = field(p, "AccountSid", form);
        if (value == null) {
            return;
        }
        sid("AccountSid", value, "AC");
        if (!value.equals(account.value())) {
            throw new WebhookRejectedException(Reason.WRONG_ACCOUNT, "AccountSid", "the request is for account "
                    + value + ", but this verifier is for " + account + "; build one verifier per account, with"
                    + " that account's auth token");
        }
    }

    private static String messageSid(Map<String, String> p, String name) {
        String value = field(p, name, true);
        if (!(value.startsWith("SM") || value.startsWith("MM")) || !SID_HEX.matcher(value.substring(2)).matches()) {
            throw bad(name, "must be SM or MM followed by 32 lower-case hex digits");
        }
        return value;
    }

    private static void sid(String name, String value, String prefix) {
        if (value != null && (!value.startsWith(prefix) || !SID_HEX.matcher(value.substring(2)).matches())) {
            throw bad(name, "must be " + prefix + " followed by 32 lower-case hex digits");
        }
    }

    private static void lowerWord(Map<String, String> p, String name) {
        String value = p.get(name);
        if (value != null && !LOWER_WORD.matcher(value).matches()) {
            throw bad(name, "must be a lower-case word such as whatsapp or received");
        }
    }

    private static int number(Map<String, String> p, String name) {
        String value = p.get(name);
        if (value == null) {
            return 0;
        }
        if (!DIGITS.matcher(value).matches()) {
            throw bad(name, "must be a number of at most 6 digits");
        }
        return Integer.parseInt(value);
    }

    /**
     * Checks an address field; an empty {@code From}/{@code To} of a status callback counts as
     * absent (Twilio leaves it empty on some channels).
     */
    private static String address(Map<String, String> p, String name, boolean required, boolean alphanumeric) {
        String value = p.get(name);
        if (!required && (value == null || value.isEmpty())) {
            return value;
        }
        if (value == null) {
            throw bad(name, "is missing; Twilio sends it with every inbound message");
        }
        if (!(E164.matcher(value).matches() || WHATSAPP.matcher(value).matches() || PREFIXED.matcher(value).matches()
                || SHORT_CODE.matcher(value).matches() || (alphanumeric && ALPHANUMERIC_SENDER.matcher(value).matches()))) {
            throw bad(name, "(" + value.length() + " characters) must be " + ADDRESS_FORMS
                    + (alphanumeric ? " or an alphanumeric sender ID" : ""));
        }
        return value;
    }

    private static List<InboundMessage.Media> media(Map<String, String> p, boolean form) {
        String num = field(p, "NumMedia", form);
        int n = num == null ? 0 : number(p, "NumMedia");
        if (n > MAX_MEDIA) {
            throw bad("NumMedia", "must be at most " + MAX_MEDIA);
        }
        for (String name : p.keySet()) {
            var m = MEDIA_NAME.matcher(name);
            if (m.matches()) {
                String index = m.group(2);
                if (index.length() > 2 || (index.length() > 1 && index.startsWith("0")) || Integer.parseInt(index) >= n) {
                    throw bad(name, "does not fit NumMedia " + n + ": media fields are numbered 0 to NumMedia - 1");
                }
            }
        }
        List<InboundMessage.Media> media = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String urlName = "MediaUrl" + i;
            String typeName = "MediaContentType" + i;
            String url = field(p, urlName, true);
            String type = field(p, typeName, true);
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw bad(urlName, "must be an absolute https or http URL");
            }
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw bad(urlName, "must be an absolute https or http URL");
            }
            if (!MEDIA_TYPE.matcher(type).matches()) {
                throw bad(typeName, "must be a media type such as image/jpeg");
            }
            media.add(new InboundMessage.Media(uri, type));
        }
        return media;
    }

    /** The value of {@code name}; when {@code required} and absent, rejects the request naming the field. */
    private static String field(Map<String, String> p, String name, boolean required) {
        String value = p.get(name);
        if (value == null && required) {
            throw bad(name, "is missing; Twilio sends it with every messaging webhook");
        }
        return value;
    }

    private static WebhookRejectedException bad(String name, String rule) {
        return new WebhookRejectedException(Reason.BAD_FIELD, name, name + " " + rule
                + "; a request with a shifted name/value boundary or a changed field was not sent by Twilio as it is");
    }
}
