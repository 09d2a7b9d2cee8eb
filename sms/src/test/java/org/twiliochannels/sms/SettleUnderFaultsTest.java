package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.SentMessage;

/**
 * Two thousand concurrent sends through both sides of every ambiguity, settled from the fake's
 * message log: each ends once, none is created twice, and every message that exists ends accepted.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SettleUnderFaultsTest {
    private static final int SENDS = 2000;

    @Test
    void everySendEndsOnceNothingIsCreatedTwiceAndEveryCreatedMessageEndsAccepted() throws Exception {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(0.3, 7, Fault.rateLimited(Duration.ZERO), Fault.serverError(503),
                    Fault.serverErrorAfterCreate(500), Fault.disconnectAfterRequest(), Fault.disconnectAfterCreate(),
                    Fault.htmlError(502), Fault.delay(Duration.ofMillis(600)));
            // The settle delay must outlast the time the server may still take to process a request the
            // client gave up on: on a busy 2-core machine the fake's threads can lag by hundreds of
            // milliseconds, and a look-up made before the fake has read the POST would find nothing.
            RetryPolicy policy = RetryPolicy.builder().maxAttempts(6).initialBackoff(Duration.ofMillis(5))
                    .maxBackoff(Duration.ofMillis(20)).settleDelay(Duration.ofSeconds(2)).build();
            TwilioConfig config = twilio.config().readTimeout(Duration.ofMillis(400)).sendDeadline(Duration.ofSeconds(30))
                    .retryPolicy(policy).maxConcurrentRequests(32).build();
            List<CompletableFuture<Receipt>> futures = new ArrayList<>();
            try (Channel sms = SmsChannel.open(config)) {
                for (int i = 0; i < SENDS; i++) {
                    futures.add(sms.sendAsync(Message.text(String.format("+1415555%04d", i), "message #" + i)));
                }
                CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).exceptionally(t -> null)
                        .get(200, TimeUnit.SECONDS);
            }
            Map<String, List<SentMessage>> createdPerBody = new HashMap<>();
            for (SentMessage m : twilio.sent()) {
                createdPerBody.computeIfAbsent(m.body().orElseThrow(), k -> new ArrayList<>()).add(m);
            }
            int accepted = 0;
            int settled = 0;
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < SENDS; i++) {
                String body = "message #" + i;
                CompletableFuture<Receipt> f = futures.get(i);
                assertTrue(f.isDone(), body + " has no outcome");
                List<SentMessage> created = createdPerBody.getOrDefault(body, List.of());
                if (created.size() > 1) {
                    problems.add(body + " created " + created.size() + " times");
                }
                try {
                    Receipt r = f.join();
                    accepted++;
                    settled += r.settled() ? 1 : 0;
                    if (created.size() != 1 || !created.get(0).sid().equals(r.sid().value())) {
                        problems.add(body + " accepted as " + r.sid() + " but the log has " + created);
                    }
                } catch (CompletionException e) {
                    TwilioChannelsException failure = assertInstanceOf(TwilioChannelsException.class, e.getCause());
                    if (!created.isEmpty()) {
                        problems.add(body + " exists as " + created.get(0).sid() + " but ended "
                                + (failure.mayHaveBeenSent() ? "unknown" : "not sent") + ": " + failure.getMessage());
                    }
                }
            }
            System.out.printf("%d sends under faults: %d accepted (%d settled from the log), %d not accepted;"
                    + " %d messages created, %d requests in all%n", SENDS, accepted, settled, SENDS - accepted,
                    createdPerBody.size(), twilio.requests().size());
            assertEquals(List.of(), problems);
            twilio.assertNoResendWithoutLookup();
            assertTrue(settled > 0, "some sends were settled from the log");
            assertEquals(createdPerBody.size(), accepted, "every created message belongs to an accepted send");
        }
    }
}
