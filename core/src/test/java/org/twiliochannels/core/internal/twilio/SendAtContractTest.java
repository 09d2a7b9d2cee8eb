package org.twiliochannels.core.internal.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.testsupport.OpenApiContract;
import org.twiliochannels.core.testsupport.TestValues;

/** {@code SendAt} leaves as Twilio's OpenAPI description types it: an RFC 3339 date-time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendAtContractTest {
    /** RFC 3339 {@code date-time}: full-date "T" full-time, with its offset. */
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final String PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Test
    void sendAtIsAnRfc3339DateTimeWithItsZone() throws Exception {
        assertEquals("date-time", OpenApiContract.formParameterSchema(PATH, "post", "SendAt").path("format").asText());
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .body("{\"sid\":\"SM00000000000000000000000000000001\",\"status\":\"scheduled\"}").build());
        ZonedDateTime at = ZonedDateTime.of(2026, 12, 1, 10, 15, 0, 0, ZoneOffset.UTC);
        Message message = Message.builder().to(TestValues.TO).body("see you then").sendAt(at.toInstant()).build();
        Outgoing scheduled = Outgoing.of(Optional.empty(), Optional.of(MessagingServiceSid.of(
                "MG00000000000000000000000000000001")), TestValues.TO, message, Optional.empty(),
                Clock.fixed(at.toInstant().minus(Duration.ofDays(1)), ZoneOffset.UTC));
        try (TwilioApi api = new TwilioApi(TwilioTransportTest.config(server.url("/").uri()).build())) {
            api.create(scheduled, TwilioTransportTest.soon());
        }
        Map<String, List<String>> form = FormEncoding.parse(server.takeRequest().getBody().utf8());
        assertEquals(List.of("fixed"), form.get("ScheduleType"));
        assertEquals(1, form.get("SendAt").size(), "one SendAt: " + form);
        String sent = form.get("SendAt").get(0);
        assertEquals("2026-12-01T10:15:00Z", sent);
        assertTrue(RFC3339.matcher(sent).matches(), sent);
        assertEquals(at.toInstant(), OffsetDateTime.parse(sent, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    }
}
