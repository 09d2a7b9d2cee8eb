package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SmsChannelTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";
    private static final String PATH = "/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages.json";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioConfig.Builder config() {
        return TwilioConfig.builder()
                .credentials(TestValues.credentials())
                .smsFrom(PhoneNumber.of(TestValues.SMS_FROM))
                .apiBaseUrl(server.url("/").uri());
    }

    private void assertNoFurtherRequest() throws InterruptedException {
        assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "no further request expected");
    }

    @Test
    void postsFormToMessagesEndpointWithBasicAuthAndParsesReceipt() throws Exception {
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        Receipt receipt;
        try (Channel sms = SmsChannel.open(config().build())) {
            receipt = sms.send(Message.text(TestValues.TO, "Your code is 123456 & ok?"));
        }

        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals(PATH, request.getUrl().encodedPath());
        String basic = Base64.getEncoder().encodeToString(
                (TestValues.ACCOUNT_SID + ":" + TestValues.AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
        assertEquals("Basic " + basic, request.getHeaders().get("Authorization"));
        assertTrue(request.getHeaders().get("Content-Type").startsWith("application/x-www-form-urlencoded"));
        FormBody form = FormBody.parse(request.getBody().utf8());
        assertEquals(List.of("Body", "From", "To"), form.names().stream().sorted().toList());
        assertEquals(TestValues.TO, form.first("To").orElseThrow());
        assertEquals(TestValues.SMS_FROM, form.first("From").orElseThrow());
        assertEquals("Your code is 123456 & ok?", form.first("Body").orElseThrow());
        assertNoFurtherRequest();

        assertEquals(Receipt.of("sms", MessageSid.of(SID), MessageStatus.QUEUED, PhoneNumber.of(TestValues.TO),
                OptionalInt.of(1)), receipt);
    }

    @Test
    void sendsFromMessagingServiceInsteadOfNumberWhenConfigured() throws Exception {
        String service = "MG00000000000000000000000000000002";
        server.enqueue(TwilioJson.created(SID, TestValues.TO, "", "accepted", "1"));
        try (Channel sms = SmsChannel.open(config().messagingServiceSid(MessagingServiceSid.of(service)).build())) {
            assertEquals(MessageStatus.ACCEPTED, sms.send(Message.text(TestValues.TO, "hi")).status());
        }
        FormBody form = FormBody.parse(server.takeRequest().getBody().utf8());
        assertEquals(service, form.first("MessagingServiceSid").orElseThrow());
        assertTrue(form.first("From").isEmpty());
    }

    @Test
    void sendsEveryMediaUrlAndTheStatusCallback() throws Exception {
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        Message message = Message.builder().to(TestValues.TO).body("look")
                .mediaUrl(URI.create("https://example.com/a.jpg"))
                .mediaUrl(URI.create("https://example.com/b.png"))
                .statusCallback(URI.create("https://example.com/status"))
                .build();
        try (Channel sms = SmsChannel.open(config().build())) {
            sms.send(message);
        }
        FormBody form = FormBody.parse(server.takeRequest().getBody().utf8());
        assertEquals(List.of("https://example.com/a.jpg", "https://example.com/b.png"), form.all("MediaUrl"));
        assertEquals("https://example.com/status", form.first("StatusCallback").orElseThrow());
    }

    @Test
    void channelStatusCallbackAppliesWhenMessageHasNone() throws Exception {
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        try (Channel sms = SmsChannel.open(config().statusCallback(URI.create("https://example.com/cb")).build())) {
            sms.send(Message.text(TestValues.TO, "hi"));
        }
        assertEquals("https://example.com/cb",
                FormBody.parse(server.takeRequest().getBody().utf8()).first("StatusCallback").orElseThrow());
    }

    @Test
    void twilioErrorBodyBecomesRejectionWithCodeStatusMessageAndLink() throws Exception {
        server.enqueue(TwilioJson.error(400, 21211, "The 'To' number +15005550001 is not a valid phone number."));
        try (Channel sms = SmsChannel.open(config().build())) {
            TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                    () -> sms.send(Message.text("+15005550001", "hi")));
            assertEquals(400, e.error().httpStatus());
            assertEquals(OptionalInt.of(21211), e.error().code());
            assertEquals("The 'To' number +15005550001 is not a valid phone number.", e.error().message());
            assertEquals("https://www.twilio.com/docs/errors/21211", e.error().moreInfo().orElseThrow());
            assertEquals(TwilioErrorCode.INVALID_TO, e.error().known().orElseThrow());
            assertFalse(e.mayHaveBeenSent());
            assertEquals("Twilio error 21211 (HTTP 400): The 'To' number +1500***0001 is not a valid phone number."
                    + " Hint: " + TwilioErrorCode.INVALID_TO.hint()
                    + " See https://www.twilio.com/docs/errors/21211", e.getMessage());
        }
        server.takeRequest();
        assertNoFurtherRequest();
    }

    @Test
    void unauthorizedBecomesAuthenticationFailed20003() throws Exception {
        server.enqueue(TwilioJson.error(401, 20003, "Authenticate"));
        try (Channel sms = SmsChannel.open(config().build())) {
            TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                    () -> sms.send(Message.text(TestValues.TO, "hi")));
            assertEquals(401, e.error().httpStatus());
            assertEquals(TwilioErrorCode.AUTHENTICATION_FAILED, e.error().known().orElseThrow());
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void serverErrorIsNotReplayedAndEndsAsDeliveryUnknownWhenSettlingIsOff() throws Exception {
        server.enqueue(TwilioJson.error(500, 20500, "Internal Server Error"));
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        try (Channel sms = SmsChannel.open(config().retryPolicy(RetryPolicy.builder().settleFromLog(false).build()).build())) {
            DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class,
                    () -> sms.send(Message.text(TestValues.TO, "hi")));
            assertTrue(e.mayHaveBeenSent());
            assertEquals(500, e.error().orElseThrow().httpStatus());
        }
        server.takeRequest();
        assertNoFurtherRequest();
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void whatsAppRecipientIsRejectedBeforeAnyRequest() {
        try (Channel sms = SmsChannel.open(config().build())) {
            InvalidMessageException e = assertThrows(InvalidMessageException.class,
                    () -> sms.send(Message.text("whatsapp:+14155551234", "hi")));
            assertEquals("to: \"whatsapp:+14155551234\" is a WhatsApp address; send it on the whatsapp channel,"
                    + " or use \"+14155551234\" to send an SMS.", e.getMessage());
            assertEquals("to", e.field());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void sendingToTheSendersOwnNumberIsRejectedBeforeAnyRequest() {
        try (Channel sms = SmsChannel.open(config().build())) {
            InvalidMessageException e = assertThrows(InvalidMessageException.class,
                    () -> sms.send(Message.text(TestValues.SMS_FROM, "hi")));
            assertEquals("to", e.field());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void openingWithoutSenderNamesTheMissingKeys() {
        TwilioConfig noSender = TwilioConfig.builder().credentials(TestValues.credentials()).build();
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, () -> SmsChannel.open(noSender));
        assertTrue(e.getMessage().startsWith("The sms channel needs a sender: set TWILIO_PHONE_NUMBER"), e.getMessage());
        assertTrue(e.getMessage().contains("TWILIO_MESSAGING_SERVICE_SID"), e.getMessage());
    }

    @Test
    void fetchReadsStatusAndErrorOfAMessage() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"sid\":\"" + SID + "\",\"status\":\"undelivered\",\"error_code\":30003,"
                        + "\"error_message\":\"Unreachable destination handset\"}").build());
        MessageState state;
        try (Channel sms = SmsChannel.open(config().build())) {
            state = sms.fetch(MessageSid.of(SID));
        }
        RecordedRequest request = server.takeRequest();
        assertEquals("GET", request.getMethod());
        assertEquals("/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages/" + SID + ".json",
                request.getUrl().encodedPath());
        assertEquals(MessageStatus.UNDELIVERED, state.status());
        assertEquals(OptionalInt.of(30003), state.errorCode());
        assertEquals("Unreachable destination handset", state.errorMessage().orElseThrow());
    }

    @Test
    void sendAsyncCompletesWithTheReceipt() throws Exception {
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "2"));
        try (Channel sms = SmsChannel.open(config().build())) {
            Receipt r = sms.sendAsync(Message.text(TestValues.TO, "hi")).get(10, TimeUnit.SECONDS);
            assertEquals(OptionalInt.of(2), r.segments());
        }
    }

    @Test
    void sendAsyncFailsTheFutureForAnInvalidMessageWithoutARequest() {
        try (Channel sms = SmsChannel.open(config().retryPolicy(RetryPolicy.none()).build())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> sms.sendAsync(Message.text("whatsapp:+14155551234", "hi")).get());
            assertInstanceOf(InvalidMessageException.class, e.getCause());
        }
        assertEquals(0, server.getRequestCount());
    }
}
