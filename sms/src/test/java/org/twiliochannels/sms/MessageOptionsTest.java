package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;

/** The exact wire form of templates, scheduling, validity periods and cancellation. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MessageOptionsTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";
    private static final String SERVICE = "MG00000000000000000000000000000002";
    private static final ContentSid CONTENT = ContentSid.of("HX0123456789abcdef0123456789abcdef");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioConfig.Builder config() {
        return TwilioConfig.builder().credentials(TestValues.credentials())
                .smsFrom(PhoneNumber.of(TestValues.SMS_FROM))
                .apiBaseUrl(server.url("/").uri());
    }

    private FormBody sent(TwilioConfig config, Message message) throws Exception {
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "scheduled", "1"));
        try (Channel sms = SmsChannel.open(config)) {
            sms.send(message);
        }
        return FormBody.parse(server.takeRequest().getBody().utf8());
    }

    @Test
    void templateSendsContentSidAndVariablesAsJsonWithoutBody() throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("1", "12/1");
        vars.put("2", "3pm \"sharp\"");
        FormBody form = sent(config().build(), Message.template(TestValues.TO, new Template(CONTENT, vars)));
        assertEquals(CONTENT.value(), form.first("ContentSid").orElseThrow());
        assertEquals("{\"1\":\"12/1\",\"2\":\"3pm \\\"sharp\\\"\"}", form.first("ContentVariables").orElseThrow());
        assertTrue(form.first("Body").isEmpty(), form.toString());
    }

    @Test
    void scheduledSendConvertsToUtcAndGoesThroughTheMessagingService() throws Exception {
        ZonedDateTime berlin = ZonedDateTime.now(ZoneOffset.ofHours(2)).plusHours(2).truncatedTo(ChronoUnit.SECONDS);
        FormBody form = sent(config().messagingServiceSid(MessagingServiceSid.of(SERVICE)).build(),
                Message.builder().to(TestValues.TO).body("reminder").sendAt(berlin).build());
        assertEquals("fixed", form.first("ScheduleType").orElseThrow());
        // The SDK writes SendAt without a zone designator; the transport writes it as RFC 3339 in UTC, with its Z.
        String sendAt = form.first("SendAt").orElseThrow();
        assertTrue(sendAt.endsWith("Z"), sendAt);
        assertEquals(berlin.toInstant(), java.time.Instant.parse(sendAt), sendAt);
        assertEquals(SERVICE, form.first("MessagingServiceSid").orElseThrow());
        assertTrue(form.first("From").isEmpty());
    }

    @Test
    void schedulingWithoutAMessagingServiceIsRejectedBeforeAnyRequest() {
        try (Channel sms = SmsChannel.open(config().build())) {
            InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> sms.send(
                    Message.builder().to(TestValues.TO).body("x").sendAt(Instant.now().plus(Duration.ofHours(1))).build()));
            assertEquals("sendAt: scheduled messages go through a Messaging Service: set TWILIO_MESSAGING_SERVICE_SID"
                    + " (Twilio Console > Messaging > Services), or send now.", e.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void schedulingOutsideFifteenMinutesToThirtyFiveDaysIsRejected() {
        try (Channel sms = SmsChannel.open(config().messagingServiceSid(MessagingServiceSid.of(SERVICE)).build())) {
            InvalidMessageException soon = assertThrows(InvalidMessageException.class, () -> sms.send(
                    Message.builder().to(TestValues.TO).body("x").sendAt(Instant.now().plus(Duration.ofMinutes(5))).build()));
            assertTrue(soon.getMessage().contains("is less than 15 minutes from now"), soon.getMessage());
            InvalidMessageException late = assertThrows(InvalidMessageException.class, () -> sms.send(
                    Message.builder().to(TestValues.TO).body("x").sendAt(Instant.now().plus(Duration.ofDays(36))).build()));
            assertTrue(late.getMessage().contains("is more than 35 days from now"), late.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void validityPeriodIsSentInSeconds() throws Exception {
        FormBody form = sent(config().build(),
                Message.builder().to(TestValues.TO).body("code 123").validityPeriod(Duration.ofMinutes(5)).build());
        assertEquals("300", form.first("ValidityPeriod").orElseThrow());
    }

    @Test
    void cancelPostsStatusCanceledToTheMessage() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"sid\":\"" + SID + "\",\"status\":\"canceled\"}").build());
        MessageState state;
        try (Channel sms = SmsChannel.open(config().build())) {
            state = sms.cancel(MessageSid.of(SID));
        }
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals("/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages/" + SID + ".json",
                request.getUrl().encodedPath());
        assertEquals("canceled", FormBody.parse(request.getBody().utf8()).first("Status").orElseThrow());
        assertEquals(MessageStatus.CANCELED, state.status());
    }

    @Test
    void templateAndFreeFormTextCannotBeMixed() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> Message.builder().to(TestValues.TO).body("hi").template(Template.of(CONTENT)).build());
        assertEquals("template: a template message takes its text and media from the template (" + CONTENT.value()
                + "); remove the body and media, or drop the template to send free-form text.", e.getMessage());
        assertThrows(InvalidMessageException.class, () -> Message.builder().to(TestValues.TO)
                .template(Template.of(CONTENT)).fallbackTemplate(Template.of(CONTENT)).build());
        assertThrows(InvalidMessageException.class,
                () -> Message.builder().to(TestValues.TO).body("x").validityPeriod(Duration.ofHours(11)));
    }
}
