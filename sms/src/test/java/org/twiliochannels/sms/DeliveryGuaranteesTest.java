package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.TwilioUnreachableException;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.CreateRequest;
import org.twiliochannels.testing.SentMessage;

/**
 * Fault injection with settling from the message log switched off (the behaviour of
 * {@code RetryPolicy.settleFromLog(false)}): every send ends in exactly one outcome, and nothing
 * that may have been sent is sent again. Settling has its own tests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryGuaranteesTest {
    private static final String SID = "SM0123456789abcdef0123456789abcdef";
    private static final RetryPolicy FAST = RetryPolicy.builder().maxAttempts(5)
            .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).settleFromLog(false).build();

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioConfig.Builder config() {
        return TwilioConfig.builder()
                .credentials(TestValues.credentials())
                .smsFrom(PhoneNumber.of(TestValues.SMS_FROM))
                .apiBaseUrl(server.url("/").uri())
                .retryPolicy(FAST);
    }

    private Throwable sendFailure(TwilioConfig config) {
        try (Channel sms = SmsChannel.open(config)) {
            return assertThrows(TwilioChannelsException.class, () -> sms.send(Message.text(TestValues.TO, "hi")));
        }
    }

    @Test
    void retriesOnceAfter429HonouringRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder(TwilioJson.error(429, 20429, "Too Many Requests"))
                .setHeader("Retry-After", "1").build());
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        long start = System.nanoTime();
        Receipt receipt;
        try (Channel sms = SmsChannel.open(config().build())) {
            receipt = sms.send(Message.text(TestValues.TO, "hi"));
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(SID, receipt.sid().value());
        assertEquals(2, server.getRequestCount());
        assertEquals(server.takeRequest().getBody(), server.takeRequest().getBody(), "the retry resends the same request");
        // the backoff of this policy is at most 50 ms: only Retry-After explains a wait of a second
        assertTrue(elapsedMs >= 1000, "Retry-After: 1 was not honoured; took " + elapsedMs + " ms");
    }

    @Test
    void rateLimitedForeverGivesUpAtTheDeadlineWithRateLimitError() {
        for (int i = 0; i < 200; i++) {
            server.enqueue(TwilioJson.error(429, 20429, "Too Many Requests"));
        }
        RetryPolicy patient = FAST.newBuilder().maxAttempts(1000).build();
        long start = System.nanoTime();
        Throwable e = sendFailure(config().retryPolicy(patient).sendDeadline(Duration.ofMillis(800)).build());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        TwilioRejectedException rejected = assertInstanceOf(TwilioRejectedException.class, e);
        assertTrue(rejected.error().isRateLimited());
        assertTrue(rejected.attempts() > 1, "attempts " + rejected.attempts());
        assertEquals(rejected.attempts(), server.getRequestCount());
        assertTrue(elapsedMs < 800 + 500, "took " + elapsedMs + " ms for an 800 ms deadline");
    }

    @Test
    void serviceUnavailableEndsUnknownAfterExactlyOneRequest() {
        server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        Throwable e = sendFailure(config().build());
        DeliveryUnknownException unknown = assertInstanceOf(DeliveryUnknownException.class, e);
        assertTrue(unknown.getMessage().endsWith("may have been sent: check by SID or status callback before resending"),
                unknown.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void serverErrorsAreRetriedOnlyWhenTheUserOptsIn() {
        server.enqueue(TwilioJson.error(503, 20503, "Service Unavailable"));
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        try (Channel sms = SmsChannel.open(config()
                .retryPolicy(FAST.newBuilder().retryAmbiguousFailures(true).build()).build())) {
            assertEquals(SID, sms.send(Message.text(TestValues.TO, "hi")).sid().value());
        }
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void aRetryAfterNoWaitCanHoldAfterAMessageWasCreatedEndsMayHaveBeenSentNotNotSent() {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failNext(Fault.serverErrorAfterCreate(503), Fault.rateLimited(Duration.ofSeconds(99_999_999_999L)));
            TwilioConfig c = twilio.config().retryPolicy(FAST.newBuilder().retryAmbiguousFailures(true).build()).build();
            try (Channel sms = SmsChannel.open(c)) {
                DeliveryUnknownException e = assertThrows(DeliveryUnknownException.class,
                        () -> sms.send(Message.text(TestValues.TO, "hi")));
                assertTrue(e.mayHaveBeenSent());
            }
            assertEquals(1, twilio.sent().size(), "the first attempt created it: 'not sent' would invite a duplicate");
            assertEquals(2, twilio.createRequests().size());
        }
    }

    @Test
    void retryAmbiguousFailuresRetriesAtTheBackoffEvenWithSettlingOn() {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFor(PhoneNumber.of(TestValues.TO), Fault.serverError(503));
            RetryPolicy blind = RetryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))
                    .retryAmbiguousFailures(true).build();
            TwilioConfig c = twilio.config().retryPolicy(blind).build();
            try (Channel sms = SmsChannel.open(c)) {
                assertThrows(DeliveryUnknownException.class, () -> sms.send(Message.text(TestValues.TO, "hi")));
            }
            assertEquals(4, twilio.createRequests().size());
            assertEquals(0, twilio.requests().stream().filter(r -> r.method().equals("GET")).count(),
                    "the log is not read: blind retries, not settling");
        }
    }

    @Test
    void aRedirectIsNotSentAndStopsAtOnce() {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failNext(Fault.redirect(302));
            try (Channel sms = SmsChannel.open(twilio.config().build())) {
                TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                        () -> sms.send(Message.text(TestValues.TO, "hi")));
                assertEquals(302, e.error().httpStatus());
                assertTrue(e.getMessage().contains("TWILIO_API_BASE_URL"), e.getMessage());
            }
            assertEquals(1, twilio.requests().size(), "not retried, not settled, not followed");
            assertEquals(0, twilio.sent().size());
        }
    }

    @Test
    void disconnectAfterTheRequestWasReadEndsUnknownAfterExactlyOneRequest() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        assertInstanceOf(DeliveryUnknownException.class, sendFailure(config().build()));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void slowResponsePastTheReadTimeoutEndsUnknownWithinTheDeadline() {
        server.enqueue(new MockResponse.Builder(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"))
                .headersDelay(3, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        Throwable e = sendFailure(config().readTimeout(Duration.ofMillis(300)).sendDeadline(Duration.ofSeconds(2)).build());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(DeliveryUnknownException.class, e);
        assertTrue(elapsedMs < 2000, "took " + elapsedMs + " ms");
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void deadlineShorterThanReadTimeoutCutsTheWait() {
        server.enqueue(new MockResponse.Builder(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"))
                .headersDelay(3, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        Throwable e = sendFailure(config().readTimeout(Duration.ofSeconds(10)).sendDeadline(Duration.ofMillis(500)).build());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(DeliveryUnknownException.class, e);
        assertTrue(elapsedMs < 1500, "took " + elapsedMs + " ms for a 500 ms deadline");
    }

    @Test
    void connectionRefusedIsRetriedThenFailsAsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        TwilioConfig c = config().apiBaseUrl(URI.create("http://127.0.0.1:" + closedPort))
                .retryPolicy(FAST.newBuilder().maxAttempts(3).build()).build();
        TwilioUnreachableException e = assertInstanceOf(TwilioUnreachableException.class, sendFailure(c));
        assertEquals(3, e.attempts());
        assertTrue(e.getMessage().startsWith("Twilio could not be reached after 3 attempt(s): not sent: could not connect for POST"
                + " http://127.0.0.1:" + closedPort + "/2010-04-01/Accounts/"), e.getMessage());
        assertTrue(!e.mayHaveBeenSent());
    }

    @Test
    void connectTimeoutIsAppliedAndCountsAsNotSent() throws Exception {
        // A listening socket whose accept queue is full drops further connection attempts: they time out.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             java.net.Socket a = new java.net.Socket(InetAddress.getLoopbackAddress(), full.getLocalPort());
             java.net.Socket b = new java.net.Socket(InetAddress.getLoopbackAddress(), full.getLocalPort())) {
            TwilioConfig c = config().apiBaseUrl(URI.create("http://127.0.0.1:" + full.getLocalPort()))
                    .connectTimeout(Duration.ofMillis(300)).sendDeadline(Duration.ofSeconds(10))
                    .retryPolicy(FAST.newBuilder().maxAttempts(2).build()).build();
            assertTrue(a.isConnected() && b.isConnected(), "the accept queue is full");
            long start = System.nanoTime();
            TwilioUnreachableException e = assertInstanceOf(TwilioUnreachableException.class, sendFailure(c));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(2, e.attempts());
            assertTrue(e.getMessage().contains("within the connect timeout (300 ms)"), e.getMessage());
            assertTrue(ms >= 550 && ms < 3000, "two attempts of a 300 ms connect timeout took " + ms + " ms");
        }
    }

    @Test
    void logsOneDebugLinePerAttemptAndAWarningWithTheRecipientMasked() {
        server.enqueue(TwilioJson.error(429, 20429, "Too Many Requests"));
        server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        server.enqueue(TwilioJson.error(400, 21610, "Attempt to send to unsubscribed recipient"));
        String log = org.twiliochannels.core.testsupport.CapturedOutput.of(() -> {
            try (Channel sms = SmsChannel.open(config().build())) {
                sms.send(Message.text(TestValues.TO, "the secret body text"));
                assertThrows(TwilioRejectedException.class, () -> sms.send(Message.text(TestValues.TO, "again")));
            }
        });
        List<String> ours = log.lines().filter(l -> l.contains(" org.twiliochannels - ")).toList();
        assertEquals(4, ours.size(), String.join("\n", ours));
        assertTrue(ours.get(0).contains("DEBUG org.twiliochannels - sms attempt 1 for +1415***1234: HTTP 429 code 20429"
                + " (rate limited); retrying in "), ours.get(0));
        assertTrue(ours.get(1).contains("DEBUG org.twiliochannels - sms attempt 2 for +1415***1234: ok, " + SID
                + " status queued"), ours.get(1));
        assertTrue(ours.get(2).contains("DEBUG org.twiliochannels - sms attempt 1 for +1415***1234: HTTP 400 code 21610"
                + " (rejected); giving up"), ours.get(2));
        assertTrue(ours.get(3).contains("WARN org.twiliochannels - sms request for +1415***1234 failed after 1"
                + " attempt(s), not sent: HTTP 400 code 21610 (rejected)"), ours.get(3));
        assertTrue(!log.contains(TestValues.TO) && !log.contains("the secret body text"), log);
    }

    @Test
    void malformedJsonInASuccessAnswerEndsUnknown() {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .body("{\"sid\": \"SM").build());
        DeliveryUnknownException e = assertInstanceOf(DeliveryUnknownException.class, sendFailure(config().build()));
        assertTrue(e.getMessage().startsWith("Twilio answered but the answer could not be read"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void htmlErrorPageFromAProxyIsDescribedPlainly() {
        server.enqueue(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
                .body("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>").build());
        DeliveryUnknownException e = assertInstanceOf(DeliveryUnknownException.class, sendFailure(config().build()));
        assertEquals("Twilio answered HTTP 502 (a non-JSON answer (text/html): 502 Bad Gateway Bad Gateway; a proxy or"
                + " load balancer may stand between this application and Twilio); the message may have been sent:"
                + " check by SID or status callback before resending", e.getMessage());
    }

    @Test
    void clientErrorWithoutCodeOrJsonIsARejection() {
        server.enqueue(new MockResponse.Builder().code(400).body("").build());
        TwilioRejectedException e = assertInstanceOf(TwilioRejectedException.class, sendFailure(config().build()));
        assertEquals("Twilio error (HTTP 400): an empty answer; a proxy or load balancer may stand between this"
                + " application and Twilio", e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void clientErrorWithoutStatusFieldKeepsTheHttpStatus() {
        server.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
                .body("{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\"}").build());
        TwilioRejectedException e = assertInstanceOf(TwilioRejectedException.class, sendFailure(config().build()));
        assertEquals(400, e.error().httpStatus());
        assertEquals(21211, e.error().code().getAsInt());
        assertTrue(e.error().moreInfo().isEmpty());
    }

    @Test
    void concurrentSendsUnderInjectedFaultsEachEndOnceAndUnknownsAreNeverRepeated() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(0.4, 42, Fault.rateLimited(Duration.ZERO), Fault.serverError(503),
                    Fault.serverError(500), Fault.disconnectAfterRequest(), Fault.htmlError(502),
                    Fault.delay(Duration.ofMillis(600)));
            TwilioConfig c = twilio.config().readTimeout(Duration.ofMillis(400)).retryPolicy(FAST)
                    .maxConcurrentRequests(16).build();
            int n = 300;
            List<CompletableFuture<Receipt>> futures = new ArrayList<>();
            try (Channel sms = SmsChannel.open(c)) {
                for (int i = 0; i < n; i++) {
                    futures.add(sms.sendAsync(Message.text(TestValues.TO, "message #" + i)));
                }
                CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                        .exceptionally(t -> null).get(50, TimeUnit.SECONDS);
            }
            Map<String, List<CreateRequest>> requestsPerBody = new HashMap<>();
            for (CreateRequest r : twilio.createRequests()) {
                requestsPerBody.computeIfAbsent(r.params().first("Body").orElseThrow(), k -> new ArrayList<>()).add(r);
            }
            // Only a 429 (never processed by Twilio) may ever be followed by another request for the same message.
            requestsPerBody.forEach((body, requests) -> {
                for (CreateRequest r : requests.subList(0, requests.size() - 1)) {
                    assertTrue(r.fault().map(f -> f.kind() == Fault.Kind.RATE_LIMITED).orElse(false),
                            body + " was requested again after " + r);
                }
            });
            Map<String, Integer> acceptedPerBody = new HashMap<>();
            for (SentMessage m : twilio.sent()) {
                acceptedPerBody.merge(m.body().orElseThrow(), 1, Integer::sum);
            }
            int accepted = 0;
            int notSent = 0;
            int unknown = 0;
            for (int i = 0; i < n; i++) {
                String body = "message #" + i;
                CompletableFuture<Receipt> f = futures.get(i);
                assertTrue(f.isDone(), body + " has no outcome");
                try {
                    Receipt r = f.join();
                    accepted++;
                    assertEquals(1, acceptedPerBody.getOrDefault(body, 0), body + " accepted but stored "
                            + acceptedPerBody.get(body) + " times");
                } catch (CompletionException e) {
                    TwilioChannelsException failure = assertInstanceOf(TwilioChannelsException.class, e.getCause());
                    if (failure.mayHaveBeenSent()) {
                        unknown++;
                        assertTrue(acceptedPerBody.getOrDefault(body, 0) <= 1, body + " stored twice");
                    } else {
                        notSent++;
                        assertEquals(0, acceptedPerBody.getOrDefault(body, 0), body + " reported not sent but was stored");
                    }
                }
            }
            assertEquals(n, accepted + notSent + unknown);
            assertTrue(accepted > n / 2, "accepted " + accepted);
            assertTrue(unknown > 0, "the mix should produce unknown outcomes");
        }
    }

    @Test
    void closeReleasesEveryThreadItStarted() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(TwilioJson.created(SID, TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
        }
        try (Channel sms = SmsChannel.open(config().build())) {
            List<CompletableFuture<Receipt>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fs.add(sms.sendAsync(Message.text(TestValues.TO, "hi")));
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            assertTrue(liveLibraryThreads() > 0, "async sends should run on the channel's threads");
        }
        assertEquals(0, liveLibraryThreads(), () -> "threads left after close: " + Thread.getAllStackTraces().keySet()
                .stream().map(Thread::getName).filter(n -> n.startsWith("twilio-channels-")).toList());
    }

    private static long liveLibraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("twilio-channels-"))
                .count();
    }
}
