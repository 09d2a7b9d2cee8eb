package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ClientClosedException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.event.AnswerReceived;
import org.twiliochannels.core.event.AttemptStarted;
import org.twiliochannels.core.event.Outcome;
import org.twiliochannels.core.event.RetryReason;
import org.twiliochannels.core.event.RetryScheduled;
import org.twiliochannels.core.event.SendFinished;
import org.twiliochannels.core.event.SendStarted;
import org.twiliochannels.core.event.Throttled;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/** {@code close()} gives every send an outcome, and listeners see each step of a send. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseAndEventsTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioConfig.Builder config() {
        return TwilioConfig.builder().credentials(TestValues.credentials()).smsFrom(PhoneNumber.of(TestValues.SMS_FROM))
                .apiBaseUrl(server.url("/").uri())
                .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(10)).build());
    }

    private static MockResponse slowCreated(long millis) {
        return TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1").newBuilder()
                .headersDelay(millis, TimeUnit.MILLISECONDS).build();
    }

    @Test
    void closeWaitsForASynchronousSendInFlightWhichEndsAccepted() throws Exception {
        server.enqueue(slowCreated(700));
        TwilioAccount account = TwilioAccount.open(config().build());
        Channel sms = account.channel("sms");
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                outcome.set(sms.send(Message.text(TestValues.TO, "hi")));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        sender.start();
        server.takeRequest(); // the POST is at the server, its answer 700 ms away
        account.close();
        sender.join(5_000);
        // a close() that cut the connection would have turned this send into "may have been sent"
        assertInstanceOf(Receipt.class, outcome.get(), "the send in flight did not end accepted: " + outcome.get());
    }

    @Test
    void queuedAsyncSendsEndNotSentAndTheOneInFlightFinishes() throws Exception {
        server.enqueue(slowCreated(700));
        TwilioAccount account = TwilioAccount.open(config().maxConcurrentRequests(1).build());
        Channel sms = account.channel("sms");
        List<CompletableFuture<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(sms.sendAsync(Message.text(TestValues.TO, "message " + i)));
        }
        server.takeRequest();
        account.close();
        for (CompletableFuture<Receipt> f : futures) {
            assertTrue(f.isDone(), "every future is complete when close() returns");
        }
        assertEquals(MessageSid.of(SID), futures.get(0).join().sid());
        for (CompletableFuture<Receipt> f : futures.subList(1, 6)) {
            CompletionException e = assertThrows(CompletionException.class, f::join);
            ClientClosedException closed = assertInstanceOf(ClientClosedException.class, e.getCause());
            assertFalse(closed.mayHaveBeenSent());
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void sendsAndLookUpsAfterCloseAreNotSentInTheLibrarysType() {
        TwilioAccount account = TwilioAccount.open(config().build());
        Channel sms = account.channel("sms");
        account.close();
        ClientClosedException e = assertThrows(ClientClosedException.class, () -> sms.send(Message.text(TestValues.TO, "hi")));
        assertFalse(e.mayHaveBeenSent());
        assertThrows(ClientClosedException.class, () -> account.fetch(MessageSid.of(SID)));
        CompletionException async = assertThrows(CompletionException.class,
                () -> sms.sendAsync(Message.text(TestValues.TO, "hi")).join());
        assertInstanceOf(ClientClosedException.class, async.getCause());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void listenersSeeEveryStepOfASendInOrderWithNothingPrivate() {
        server.enqueue(TwilioJson.error(429, 20429, "Too Many Requests").newBuilder().setHeader("Retry-After", "0").build());
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        List<Object> events = Collections.synchronizedList(new ArrayList<>());
        TwilioEventListener recorder = new TwilioEventListener() {
            @Override
            public void sendStarted(SendStarted e) {
                events.add(e);
            }

            @Override
            public void attemptStarted(AttemptStarted e) {
                events.add(e);
            }

            @Override
            public void answerReceived(AnswerReceived e) {
                events.add(e);
            }

            @Override
            public void throttled(Throttled e) {
                events.add(e);
            }

            @Override
            public void retryScheduled(RetryScheduled e) {
                events.add(e);
            }

            @Override
            public void sendFinished(SendFinished e) {
                events.add(e);
            }
        };
        TwilioEventListener broken = new TwilioEventListener() {
            @Override
            public void sendFinished(SendFinished e) {
                throw new IllegalStateException("a listener bug");
            }
        };
        try (TwilioAccount account = TwilioAccount.builder(config().build()).listener(broken).listener(recorder).build()) {
            Receipt r = account.channel("sms").send(Message.text(TestValues.TO, "the private body"));
            assertEquals(2, r.attempts());
        }
        List<String> kinds = events.stream().map(e -> e.getClass().getSimpleName()).toList();
        assertEquals(List.of("SendStarted", "AttemptStarted", "AnswerReceived", "Throttled", "RetryScheduled",
                "AttemptStarted", "AnswerReceived", "SendFinished"), kinds);
        SendStarted started = (SendStarted) events.get(0);
        assertEquals("sms", started.channel());
        assertEquals("+1415***1234", started.maskedTo());
        assertEquals(429, ((AnswerReceived) events.get(2)).httpStatus());
        assertEquals(20429, ((AnswerReceived) events.get(2)).twilioCode().getAsInt());
        assertEquals(Duration.ZERO, ((Throttled) events.get(3)).retryAfter().orElseThrow());
        assertEquals(RetryReason.RATE_LIMITED, ((RetryScheduled) events.get(4)).reason());
        SendFinished finished = (SendFinished) events.get(7);
        assertEquals(Outcome.ACCEPTED, finished.outcome());
        assertEquals(MessageSid.of(SID), finished.sid().orElseThrow());
        assertEquals(2, finished.attempts());
        assertTrue(events.stream().allMatch(e -> e instanceof org.twiliochannels.core.event.SendEvent s
                && s.sendId() == started.sendId()), "one send id for the whole send");
        String all = events.toString();
        assertFalse(all.contains(TestValues.TO) || all.contains("the private body"), all);
    }

    @Test
    void aRejectedSendFinishesRejectedWithItsCode() {
        server.enqueue(TwilioJson.error(400, 21610, "Attempt to send to unsubscribed recipient"));
        List<SendFinished> finished = new ArrayList<>();
        try (TwilioAccount account = TwilioAccount.builder(config().build()).listener(new TwilioEventListener() {
            @Override
            public void sendFinished(SendFinished e) {
                finished.add(e);
            }
        }).build()) {
            assertThrows(TwilioChannelsException.class, () -> account.channel("sms").send(Message.text(TestValues.TO, "x")));
        }
        assertEquals(1, finished.size());
        assertEquals(Outcome.REJECTED, finished.get(0).outcome());
        assertEquals(21610, finished.get(0).errorCode().getAsInt());
    }
}
