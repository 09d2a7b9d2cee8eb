package org.twiliochannels.core.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TestChannels;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.Sender;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/** Bulk semantics on the real engine with a channel policy of the test's own against a scripted server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BulkSenderTest {
    private static final PhoneNumber FROM = PhoneNumber.of(TestValues.SMS_FROM);
    private static final ChannelPolicy PLAIN = new ChannelPolicy() {
        @Override
        public Address recipient(Message message) {
            return message.to();
        }

        @Override
        public Sender sender(Message message) {
            return Sender.address(FROM);
        }

        @Override
        public String describe() {
            return "test";
        }
    };

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private TwilioAccount account(RetryPolicy policy) {
        return TwilioAccount.open(TwilioConfig.builder().credentials(TestValues.credentials())
                .apiBaseUrl(server.url("/").uri()).retryPolicy(policy).maxConcurrentRequests(16).build());
    }

    private static String to(int i) {
        return String.format("+1415555%04d", i);
    }

    private static String form(RecordedRequest r, String name) {
        for (String pair : r.getBody().utf8().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static MockResponse created(String to, int n) {
        return TwilioJson.created(String.format("SM%032x", n), to, TestValues.SMS_FROM, "queued", "1");
    }

    @Test
    void concurrencyHalvesAfterThrottlingSeenThroughTheAccountsEvents() {
        AtomicInteger posts = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                int n = posts.incrementAndGet();
                return n <= 8 ? TwilioJson.error(429, 20429, "Too Many Requests").newBuilder()
                        .setHeader("Retry-After", "0").build() : created(form(r, "To"), n);
            }
        });
        RetryPolicy fast = RetryPolicy.builder().maxAttempts(10).initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(2)).build();
        try (TwilioAccount account = account(fast)) {
            Channel channel = TestChannels.view(account, "test", PLAIN);
            BulkSummary throttled = BulkSender.builder(channel, SenderRate.of(5000)).concurrency(8).build()
                    .send(IntStream.range(0, 8).mapToObj(i -> Message.text(to(i), "hi")), o -> { });
            assertEquals(8, throttled.progress().accepted());
            assertTrue(throttled.progress().concurrency() < 8, "429s seen as events halve the limit: " + throttled);

            BulkSummary calm = BulkSender.builder(channel, SenderRate.of(5000)).concurrency(8).build()
                    .send(IntStream.range(0, 8).mapToObj(i -> Message.text(to(i), "hi")), o -> { });
            assertEquals(8, calm.progress().concurrency(), "no 429, no halving: " + calm);
        }
    }

    @Test
    void ambiguousItemsAreSettledAtTheEndWithOneListingPerRecipient() {
        // recipient 0: 503 that created nothing -> absent -> resent; recipient 1: created, then a 500
        // -> found; recipient 2: accepted at once; recipient 3: two identical -> unknown
        Map<String, List<String>> log = new ConcurrentHashMap<>();
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sids = new AtomicInteger();
        Map<String, Integer> created = new ConcurrentHashMap<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getMethod().equals("GET")) {
                    String recipient = r.getUrl().queryParameter("To");
                    requests.add("GET " + recipient);
                    return TwilioJson.logPage(null, log.getOrDefault(recipient, List.of()).toArray(new String[0]));
                }
                String recipient = form(r, "To");
                boolean first = requests.stream().noneMatch(x -> x.equals("POST " + recipient));
                requests.add("POST " + recipient);
                String sid = String.format("SM%032x", sids.incrementAndGet());
                String entry = TwilioJson.logEntry(sid, recipient, TestValues.SMS_FROM, "hi", Instant.now(), "queued");
                if (recipient.equals(to(0)) && first) {
                    return TwilioJson.error(503, 20503, "Service Unavailable");
                }
                if (recipient.equals(to(1))) {
                    // created, then Twilio answers with an internal error
                    created.merge(recipient, 1, Integer::sum);
                    log.computeIfAbsent(recipient, k -> new ArrayList<>()).add(entry);
                    return TwilioJson.error(500, 20500, "Internal Server Error");
                }
                if (recipient.equals(to(3))) {
                    log.computeIfAbsent(recipient, k -> new ArrayList<>()).add(entry);
                    log.get(recipient).add(TwilioJson.logEntry(String.format("SM%032x", 9999), recipient,
                            TestValues.SMS_FROM, "hi", Instant.now(), "queued"));
                    return TwilioJson.error(502, 0, "Bad Gateway");
                }
                created.merge(recipient, 1, Integer::sum);
                return created(recipient, sids.get());
            }
        });
        RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2))
                .settleDelay(Duration.ZERO).build();
        List<BulkOutcome<Message>> outcomes = Collections.synchronizedList(new ArrayList<>());
        BulkSummary summary;
        try (TwilioAccount account = account(policy)) {
            Channel channel = TestChannels.view(account, "test", PLAIN);
            summary = BulkSender.builder(channel, SenderRate.of(5000)).concurrency(4).build()
                    .send(IntStream.range(0, 4).mapToObj(i -> Message.text(to(i), "hi")), outcomes::add);
        }
        assertEquals(4, outcomes.size(), "one outcome per item");
        Map<String, BulkOutcome.Kind> byRecipient = new ConcurrentHashMap<>();
        outcomes.forEach(o -> byRecipient.put(o.recipient().orElseThrow(), o.kind()));
        assertEquals(BulkOutcome.Kind.ACCEPTED, byRecipient.get(to(0)));
        assertEquals(BulkOutcome.Kind.ACCEPTED, byRecipient.get(to(1)));
        assertEquals(BulkOutcome.Kind.ACCEPTED, byRecipient.get(to(2)));
        assertEquals(BulkOutcome.Kind.UNKNOWN, byRecipient.get(to(3)));
        // A request can miss the server altogether (a connection closed under it): it is then settled
        // as absent and resent. Whatever the transport did, nothing is created twice.
        assertEquals(Map.of(to(0), 1, to(1), 1, to(2), 1), created, requests.toString());
        assertTrue(summary.progress().settledFound() >= 1, summary.toString());
        assertTrue(summary.progress().resent() >= 1, summary.toString());
        assertEquals(1, summary.progress().unknown(), summary.toString());
        assertEquals(1, requests.stream().filter(r -> r.equals("POST " + to(3))).count(),
                "two candidates in the log: never sent again, " + requests);
        for (int i : new int[] {0, 1, 3}) {
            String recipient = to(i);
            assertTrue(requests.contains("GET " + recipient), "the log was read for " + recipient + ": " + requests);
        }
        assertTrue(requests.stream().noneMatch(r -> r.equals("GET " + to(2))), "an accepted item is not looked up");
        outcomes.stream().filter(o -> o.recipient().orElseThrow().equals(to(1))).findFirst().orElseThrow()
                .receipt().ifPresentOrElse(r -> assertTrue(r.settled()), () -> { throw new AssertionError("no receipt"); });
    }
}
