package org.twiliochannels.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.twiliochannels.core.AccountSid;

/**
 * Twilio's JSON shapes and answers: the message resource, list pages with their URIs, the account,
 * phone numbers, errors ({@code code}, {@code message}, {@code more_info}, {@code status}), and the
 * broken answers faults play.
 */
final class JsonShapes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Twilio's date format, RFC 2822 in GMT: {@code Wed, 18 Aug 2010 20:01:40 +0000}. */
    static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private JsonShapes() {}

    /** {@code instant} as Twilio writes dates. */
    static String date(Instant instant) {
        return RFC_2822.format(instant);
    }

    /** The message resource. */
    static ObjectNode message(AccountSid account, StoredMessage m) {
        String uri = "/2010-04-01/Accounts/" + account.value() + "/Messages/" + m.sid().value();
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", account.value());
        n.put("api_version", "2010-04-01");
        n.put("body", m.body());
        n.put("date_created", date(m.dateCreated()));
        n.put("date_sent", m.dateSent().map(JsonShapes::date).orElse(null));
        n.put("date_updated", date(m.dateUpdated()));
        n.put("direction", "outbound-api");
        if (m.errorCode().isPresent()) {
            n.put("error_code", m.errorCode().getAsInt());
        } else {
            n.putNull("error_code");
        }
        n.putNull("error_message");
        n.put("from", m.from().orElse(null));
        n.put("messaging_service_sid", m.service().orElse(null));
        n.put("num_media", Integer.toString(m.numMedia()));
        n.put("num_segments", Integer.toString(m.numSegments()));
        n.putNull("price");
        n.put("price_unit", "USD");
        n.put("sid", m.sid().value());
        n.put("status", m.status().twilioName());
        n.putObject("subresource_uris").put("media", uri + "/Media.json");
        n.put("to", m.to());
        n.put("uri", uri + ".json");
        return n;
    }

    /**
     * A list page as Twilio's 2010 API writes it: the records under {@code key}, then {@code end},
     * {@code first_page_uri}, {@code next_page_uri}, {@code page}, {@code page_size},
     * {@code previous_page_uri}, {@code start} and {@code uri}; every URI relative, carrying the
     * filters, so that the SDK can follow {@code next_page_uri}.
     */
    static ObjectNode page(String key, ArrayNode items, String path, Map<String, String> filters, int pageSize,
                           int page, int start, Optional<String> token, Optional<String> next,
                           Optional<String> previous) {
        ObjectNode p = JSON.createObjectNode();
        p.set(key, items);
        p.put("end", items.isEmpty() ? start : start + items.size() - 1);
        p.put("first_page_uri", uri(path, filters, pageSize, 0, Optional.empty()));
        p.put("next_page_uri", next.map(t -> uri(path, filters, pageSize, page + 1, Optional.of(t))).orElse(null));
        p.put("page", page);
        p.put("page_size", pageSize);
        p.put("previous_page_uri", previous.map(t -> uri(path, filters, pageSize, Math.max(0, page - 1),
                Optional.of(t))).orElse(null));
        p.put("start", start);
        p.put("uri", uri(path, filters, pageSize, page, token));
        return p;
    }

    private static String uri(String path, Map<String, String> filters, int pageSize, int page, Optional<String> token) {
        StringBuilder s = new StringBuilder(path).append('?');
        filters.forEach((k, v) -> s.append(encode(k)).append('=').append(encode(v)).append('&'));
        s.append("PageSize=").append(pageSize).append("&Page=").append(page);
        token.ifPresent(t -> s.append("&PageToken=").append(t));
        return s.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A new array for list records. */
    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** The account resource. */
    static ObjectNode account(AccountSid sid, String status, String type, Instant created) {
        ObjectNode a = JSON.createObjectNode();
        a.put("sid", sid.value());
        a.put("friendly_name", "Fake Twilio account");
        a.put("status", status);
        a.put("type", type);
        a.putNull("owner_account_sid");
        a.put("date_created", date(created));
        a.put("uri", "/2010-04-01/Accounts/" + sid.value() + ".json");
        return a;
    }

    /** An incoming phone number resource, SMS-, MMS- and voice-capable. */
    static ObjectNode phoneNumber(AccountSid account, String pnSid, String number) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", account.value());
        n.put("sid", pnSid);
        n.put("phone_number", number);
        n.put("friendly_name", number);
        ObjectNode caps = n.putObject("capabilities");
        caps.put("sms", true);
        caps.put("mms", true);
        caps.put("voice", true);
        caps.put("fax", false);
        return n;
    }

    /** A JSON answer. */
    static MockResponse.Builder json(int status, ObjectNode body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body(body.toString());
    }

    /** Twilio's error answer. */
    static MockResponse.Builder error(ApiError e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("code", e.code());
        n.put("message", e.message());
        n.put("more_info", "https://www.twilio.com/docs/errors/" + e.code());
        n.put("status", e.status());
        return json(e.status(), n);
    }

    /** What a fault answers in place of {@code normal}, the answer the request would have had. */
    static MockResponse.Builder faulty(Fault fault, MockResponse.Builder normal, int successCode) {
        return switch (fault.kind) {
            case RATE_LIMITED -> {
                MockResponse.Builder b = error(new ApiError(429, 20429, "Too Many Requests"));
                if (!fault.duration.isZero()) {
                    b.setHeader("Retry-After", Long.toString(Math.max(1, fault.duration.toSeconds())));
                }
                yield b;
            }
            case SERVER_ERROR, SERVER_ERROR_AFTER_CREATE -> error(new ApiError(fault.status, 20500,
                    "Internal Server Error"));
            case HTML_ERROR -> new MockResponse.Builder().code(fault.status).setHeader("Content-Type", "text/html")
                    .body("<html><head><title>" + fault.status + " Bad Gateway</title></head><body><h1>"
                            + fault.status + " Bad Gateway</h1></body></html>");
            case REDIRECT -> new MockResponse.Builder().code(fault.status)
                    .setHeader("Location", "https://login.example.invalid/sso?next=%2F2010-04-01")
                    .setHeader("Content-Type", "text/html").body("<html><body>Moved</body></html>");
            case DISCONNECT_AFTER_REQUEST, DISCONNECT_AFTER_CREATE -> new MockResponse.Builder()
                    .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE);
            case DELAY -> normal.headersDelay(fault.duration.toMillis(), TimeUnit.MILLISECONDS);
            case MALFORMED_SUCCESS -> new MockResponse.Builder().code(successCode)
                    .setHeader("Content-Type", "application/json").body("{\"sid\": \"SM");
        };
    }

    /**
     * An error as Twilio reports it.
     *
     * @param status  the HTTP status
     * @param code    Twilio's error code
     * @param message Twilio's message
     */
    record ApiError(int status, int code, String message) {}
}
