package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.Settlement;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.event.SettleLookup;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/** Ambiguous sends settled from Twilio's message log: found, absent (resent), or still unknown. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SettleFromLogTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";
    private static final String OTHER_SID = "SMfedcba9876543210fedcba9876543210";
    private static final RetryPolicy SETTLE_AT_ONCE = RetryPolicy.builder().initialBackoff(Duration.ofMillis(5))
            .maxBackoff(Duration.ofMillis(10)).settleDelay(Duration.ZERO).build();

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioConfig.Builder config() {
        return TwilioConfig.builder().credentials(TestValues.credentials()).smsFrom(PhoneNumber.of(TestValues.SMS_FROM))
                .apiBaseUrl(server.url("/").uri()).retryPolicy(SETTLE_AT_ONCE);
    }

    private static String entry(String sid, String body, Instant created) {
        return TwilioJson.logEntry(sid, TestValues.TO, TestValues.SMS_FROM, body, created, "queued");
    }

    private static MockResponse dropAfterRequest() {
        return new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    private static String kinds(List<RecordedRequest> requests) {
        return String.join(" ", requests.stream().map(r -> r.getMethod()).toList());
    }

    @Test
    void serverErrorWhoseMessageIsInTheLogEndsAcceptedWithThatSidAfterOnePost() throws Exception {
        server.enqueue(TwilioJson.error(500, 20500, "Internal Server Error"));
        server.enqueue(TwilioJson.logPage(null, entry(SID, "hi", Instant.now())));
        List<SettleLookup> lookups = new ArrayList<>();
        try (TwilioAccount account = TwilioAccount.builder(config().build())
                .listener(new TwilioEventListener() {
                    @Override
                    public void settleLookup(SettleLookup event) {
                        lookups.add(event);
                    }
                }).build()) {
            Receipt r = account.channel("sms").send(Message.text(TestValues.TO, "hi"));
            assertEquals(MessageSid.of(SID), r.sid());
            assertTrue(r.settled());
            assertEquals(1, r.attempts());
        }
        List<RecordedRequest> requests = requests();
        assertEquals("POST GET", kinds(requests));
        String list = requests.get(1).getUrl().toString();
        assertTrue(list.contains("/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages.json"), list);
        assertEquals(TestValues.TO, requests.get(1).getUrl().queryParameter("To"));
        assertEquals(TestValues.SMS_FROM, requests.get(1).getUrl().queryParameter("From"));
        assertNull(requests.get(1).getUrl().queryParameter("DateSent"), "a queued message has no date_sent");
        assertEquals(1, lookups.size());
        assertEquals(SettleLookup.SettleResult.FOUND, lookups.get(0).result());
        assertEquals(Optional.of(MessageSid.of(SID)), lookups.get(0).sid());
    }

    @Test
    void droppedConnectionWithNothingInTheLogIsResentOnceAndCountsTheAttempt() throws Exception {
        server.enqueue(dropAfterRequest());
        server.enqueue(TwilioJson.logPage(null));
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        try (Channel sms = SmsChannel.open(config().build())) {
            Receipt r = sms.send(Message.text(TestValues.TO, "hi"));
            assertEquals(MessageSid.of(SID), r.sid());
            assertFalse(r.settled());
            assertEquals(2, r.attempts());
        }
        assertEquals("POST GET POST", kinds(requests()));
    }

    @Test
    void anIdenticalMessageSentEarlierOutsideTheWindowIsNotTakenForThisOne() throws Exception {
        server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
        server.enqueue(TwilioJson.logPage(null, entry(OTHER_SID, "hi", Instant.now().minus(Duration.ofMinutes(10)))));
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        try (Channel sms = SmsChannel.open(config().build())) {
            assertEquals(MessageSid.of(SID), sms.send(Message.text(TestValues.TO, "hi")).sid());
        }
        assertEquals("POST GET POST", kinds(requests()));
    }

    @Test
    void twoIdenticalCandidatesInTheWindowStayUnknownAndAreNeverResent() throws Exception {
        server.enqueue(TwilioJson.error(500, 20500, "Internal Server Error"));
        server.enqueue(TwilioJson.logPage(null, entry(SID, "hi", Instant.now()), entry(OTHER_SID, "hi", Instant.now())));
        try (Channel sms = SmsChannel.open(config().build())) {
            DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class,
                    () -> sms.send(Message.text(TestValues.TO, "hi")));
            assertTrue(e.getMessage().contains("2 messages in Twilio's log match what was sent"), e.getMessage());
            assertTrue(e.getMessage().contains(SID) && e.getMessage().contains(OTHER_SID), e.getMessage());
            assertEquals(500, e.error().orElseThrow().httpStatus());
        }
        assertEquals("POST GET", kinds(requests()));
    }

    @Test
    void aLogThatCannotBeReadLeavesTheSendUnknownWithoutAResend() throws Exception {
        server.enqueue(dropAfterRequest());
        for (int i = 0; i < 4; i++) {
            server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
        }
        try (Channel sms = SmsChannel.open(config().build())) {
            DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class,
                    () -> sms.send(Message.text(TestValues.TO, "hi")));
            assertTrue(e.getMessage().contains("the log could not be read"), e.getMessage());
        }
        List<RecordedRequest> requests = requests();
        assertEquals("POST GET GET GET GET", kinds(requests), "log reads are retried like every read, the POST never");
    }

    @Test
    void theMatchIsFoundOnTheSecondPage() throws Exception {
        String next = "/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages.json?To=%2B14155551234&PageSize=100&Page=1&PageToken=PA2";
        server.enqueue(TwilioJson.error(502, 0, "Bad Gateway"));
        List<String> newer = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            newer.add(entry(String.format("SM%032x", i), "something else", Instant.now()));
        }
        server.enqueue(TwilioJson.logPage(next, newer.toArray(new String[0])));
        server.enqueue(TwilioJson.logPage(null, entry(SID, "hi", Instant.now())));
        try (Channel sms = SmsChannel.open(config().build())) {
            Receipt r = sms.send(Message.text(TestValues.TO, "hi"));
            assertEquals(MessageSid.of(SID), r.sid());
            assertTrue(r.settled());
        }
        List<RecordedRequest> requests = requests();
        assertEquals("POST GET GET", kinds(requests));
        assertEquals("PA2", requests.get(2).getUrl().queryParameter("PageToken"));
    }

    @Test
    void aMessagingServiceSendIsLookedUpByRecipientOnly() throws Exception {
        server.enqueue(dropAfterRequest());
        server.enqueue(TwilioJson.logPage(null, TwilioJson.logEntry(SID, TestValues.TO, "+14155550100", "hi",
                Instant.now(), "accepted")));
        MessagingServiceSid service = MessagingServiceSid.of("MG0123456789abcdef0123456789abcdef");
        try (Channel sms = SmsChannel.open(config().messagingServiceSid(service).build())) {
            Receipt r = sms.send(Message.text(TestValues.TO, "hi"));
            assertEquals(MessageSid.of(SID), r.sid());
        }
        List<RecordedRequest> requests = requests();
        assertEquals("POST GET", kinds(requests));
        assertEquals(TestValues.TO, requests.get(1).getUrl().queryParameter("To"));
        assertNull(requests.get(1).getUrl().queryParameter("From"), "Twilio picks the sender of a Messaging Service");
    }

    @Test
    void absentWithNoAttemptLeftEndsNotSentBecauseNothingWasCreated() throws Exception {
        server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
        server.enqueue(TwilioJson.logPage(null));
        try (Channel sms = SmsChannel.open(config().retryPolicy(SETTLE_AT_ONCE.newBuilder().maxAttempts(1).build()).build())) {
            TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                    () -> sms.send(Message.text(TestValues.TO, "hi")));
            assertFalse(e.mayHaveBeenSent());
            assertEquals(503, e.error().httpStatus());
        }
        assertEquals("POST GET", kinds(requests()));
    }

    @Test
    void theSettleCallAnswersFoundAbsentAndUnknownForAnOldOutcome() throws Exception {
        Instant sentAt = Instant.now().minus(Duration.ofHours(2));
        server.enqueue(TwilioJson.logPage(null, entry(SID, "hi", sentAt)));
        server.enqueue(TwilioJson.logPage(null));
        server.enqueue(TwilioJson.logPage(null, entry(SID, "hi", sentAt), entry(OTHER_SID, "hi", sentAt)));
        SettleQuery query = SettleQuery.of(Message.text(TestValues.TO, "hi"), Optional.of(PhoneNumber.of(TestValues.SMS_FROM)),
                sentAt.minusSeconds(1), sentAt.plusSeconds(1));
        try (TwilioAccount account = TwilioAccount.open(config().build())) {
            Settlement.Found found = assertInstanceOf(Settlement.Found.class, account.settle(query));
            assertEquals(MessageSid.of(SID), found.state().sid());
            assertInstanceOf(Settlement.Absent.class, account.settle(query));
            Settlement.Unknown unknown = assertInstanceOf(Settlement.Unknown.class, account.settle(query));
            assertEquals(List.of(MessageSid.of(SID), MessageSid.of(OTHER_SID)), unknown.candidates());
        }
    }
}
