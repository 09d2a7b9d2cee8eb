package org.twiliochannels.core.testsupport;

import mockwebserver3.MockResponse;

/** Answers shaped like Twilio's, for queueing on a MockWebServer. */
public final class TwilioJson {
    private TwilioJson() {}

    /** A 201 message resource. */
    public static MockResponse created(String sid, String to, String from, String status, String segments) {
        String body = "{\"account_sid\":\"" + TestValues.ACCOUNT_SID + "\",\"api_version\":\"2010-04-01\","
                + "\"body\":\"hello\",\"date_created\":\"Thu, 30 Jul 2015 20:12:31 +0000\",\"date_sent\":null,"
                + "\"date_updated\":\"Thu, 30 Jul 2015 20:12:33 +0000\",\"direction\":\"outbound-api\","
                + "\"error_code\":null,\"error_message\":null,\"from\":\"" + from + "\",\"messaging_service_sid\":null,"
                + "\"num_media\":\"0\",\"num_segments\":\"" + segments + "\",\"price\":null,\"price_unit\":\"USD\","
                + "\"sid\":\"" + sid + "\",\"status\":\"" + status + "\",\"subresource_uris\":{},\"to\":\"" + to
                + "\",\"uri\":\"/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages/" + sid + ".json\"}";
        return new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json").body(body).build();
    }

    /** Twilio's date format in JSON answers, e.g. {@code Thu, 30 Jul 2015 20:12:31 +0000}. */
    public static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);

    /** One message resource of the log, as JSON. */
    public static String logEntry(String sid, String to, String from, String body, java.time.Instant created,
                                  String status) {
        return "{\"account_sid\":\"" + TestValues.ACCOUNT_SID + "\",\"api_version\":\"2010-04-01\","
                + "\"body\":\"" + body + "\",\"date_created\":\"" + DATE.format(created) + "\",\"date_sent\":null,"
                + "\"direction\":\"outbound-api\",\"error_code\":null,\"error_message\":null,\"from\":\"" + from
                + "\",\"num_media\":\"0\",\"num_segments\":\"1\",\"sid\":\"" + sid + "\",\"status\":\"" + status
                + "\",\"to\":\"" + to + "\"}";
    }

    /** A page of the message log; {@code nextPageUri} null on the last page. */
    public static MockResponse logPage(String nextPageUri, String... entries) {
        String body = "{\"messages\":[" + String.join(",", entries) + "],\"next_page_uri\":"
                + (nextPageUri == null ? "null" : "\"" + nextPageUri + "\"") + ",\"page\":0,\"page_size\":100,"
                + "\"first_page_uri\":\"/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages.json\","
                + "\"previous_page_uri\":null,\"uri\":\"/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID
                + "/Messages.json\",\"start\":0,\"end\":" + Math.max(0, entries.length - 1) + "}";
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    /** A Twilio error answer. */
    public static MockResponse error(int status, int code, String message) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body("{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":"
                        + "\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}")
                .build();
    }
}
