package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.bulk.BulkOutcome;
import org.twiliochannels.core.bulk.BulkProgress;
import org.twiliochannels.core.bulk.BulkSender;
import org.twiliochannels.core.bulk.BulkSummary;
import org.twiliochannels.core.bulk.OutcomeLog;
import org.twiliochannels.core.bulk.SenderRate;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BulkSendTest {
    private static final SenderRate FAST = SenderRate.of(5000);

    private static String number(int i) {
        return String.format("+1415555%04d", i);
    }

    private static List<String> recipients(int n) {
        return IntStream.range(0, n).mapToObj(BulkSendTest::number).toList();
    }

    @Test
    void everyItemEndsWithExactlyOneOutcomeAndInvalidItemsAreRejectedWithoutARequest() {
        try (FakeTwilio twilio = FakeTwilio.start(); Channel sms = SmsChannel.open(twilio.config().build())) {
            List<String> items = new ArrayList<>(recipients(40));
            items.add("415-555-0000");
            items.add("+15005550001");
            List<BulkOutcome<String>> outcomes = new CopyOnWriteArrayList<>();
            List<BulkProgress> progress = new CopyOnWriteArrayList<>();
            BulkSummary summary = BulkSender.builder(sms, FAST).concurrency(8)
                    .progress(Duration.ofMillis(1), progress::add).build()
                    .send(items.iterator(), to -> Message.text(to, "Hi " + to), outcomes::add);
            assertEquals(items.size(), outcomes.size());
            assertEquals(items.size(), outcomes.stream().map(BulkOutcome::item).distinct().count());
            assertEquals(40, summary.progress().accepted());
            assertEquals(2, summary.progress().rejected());
            assertEquals(40, twilio.sent().size());
            assertEquals(41, twilio.createRequests().size(), "the invalid number never reached Twilio");
            BulkOutcome<String> bad = outcomes.stream().filter(o -> o.item().equals("415-555-0000")).findFirst().orElseThrow();
            assertTrue(bad.failure().orElseThrow().getMessage().startsWith("to: Phone number \"415-555-0000\""));
            assertEquals(summary.progress(), progress.get(progress.size() - 1));
        }
    }

    @Test
    void aResumedRunSkipsRecipientsAlreadyDoneAndNeverResendsThem(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("outcomes.csv");
        try (FakeTwilio twilio = FakeTwilio.start(); Channel sms = SmsChannel.open(twilio.config()
                .retryPolicy(RetryPolicy.builder().settleFromLog(false).build()).build())) {
            twilio.failFor(org.twiliochannels.core.PhoneNumber.of(number(3)), Fault.serverError(503))
                    .failFor(org.twiliochannels.core.PhoneNumber.of(number(4)), Fault.disconnectAfterRequest());
            try (OutcomeLog out = OutcomeLog.append(log)) {
                BulkSender.builder(sms, FAST).build().send(recipients(10).stream().map(r -> Message.text(r, "hi")), out);
            }
            assertEquals(8, twilio.sent().size());
            Set<String> done = OutcomeLog.doneRecipients(log);
            assertEquals(10, done.size(), "accepted and unknown recipients count as done: " + done);
            assertTrue(Files.readAllLines(log).get(0).equals(OutcomeLog.HEADER));

            List<BulkOutcome<Message>> second = new ArrayList<>();
            BulkSender.builder(sms, FAST).alreadyDone(done).build()
                    .send(recipients(12).stream().map(r -> Message.text(r, "hi")), second::add);
            assertEquals(10, second.stream().filter(o -> o.kind() == BulkOutcome.Kind.SKIPPED).count());
            assertEquals(10, twilio.sent().size(), "only the two new recipients were sent");
            Map<String, Integer> perRecipient = new HashMap<>();
            twilio.sent().forEach(m -> perRecipient.merge(m.to(), 1, Integer::sum));
            assertTrue(perRecipient.values().stream().allMatch(c -> c == 1), perRecipient.toString());
        }
    }

    @Test
    void badCredentialsStopTheRunAndTheRestIsReportedNotAttempted() {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            TwilioConfig wrong = twilio.config().credentials(twilio.accountSid(),
                    AuthToken.of("feedfacefeedfacefeedfacefeedface")).build();
            try (Channel sms = SmsChannel.open(wrong)) {
                List<BulkOutcome<Message>> outcomes = new ArrayList<>();
                BulkSummary summary = BulkSender.builder(sms, FAST).concurrency(2).build()
                        .send(recipients(500).stream().map(r -> Message.text(r, "hi")), outcomes::add);
                assertEquals(500, outcomes.size());
                assertTrue(summary.stoppedBecause().orElseThrow().contains("20003"), summary.toString());
                assertTrue(summary.progress().notAttempted() >= 490, summary.toString());
                assertTrue(twilio.requestCount() <= 4, "requests made: " + twilio.requestCount());
            }
        }
    }

    @Test
    void rateLimitedRequestsAreRetriedAndEveryMessageLandsOnce() {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            twilio.failFraction(0.3, 7, Fault.rateLimited(Duration.ZERO));
            RetryPolicy patient = RetryPolicy.builder().maxAttempts(20).initialBackoff(Duration.ofMillis(5))
                    .maxBackoff(Duration.ofMillis(20)).build();
            try (Channel sms = SmsChannel.open(twilio.config().retryPolicy(patient).build())) {
                BulkSummary summary = BulkSender.builder(sms, FAST).concurrency(8).build()
                        .send(recipients(100).stream().map(r -> Message.text(r, "hi")), o -> { });
                assertEquals(100, summary.progress().accepted(), summary.toString());
                assertEquals(100, twilio.sent().size());
                assertTrue(twilio.createRequests().size() > 100, "some requests were rate limited");
            }
        }
    }

    @Test
    void pacingSpreadsSendsAtTheSendersRate() {
        try (FakeTwilio twilio = FakeTwilio.start(); Channel sms = SmsChannel.open(twilio.config().build())) {
            long start = System.nanoTime();
            BulkSender.builder(sms, SenderRate.of(40)).concurrency(8).build()
                    .send(recipients(21).stream().map(r -> Message.text(r, "hi")), o -> { });
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // 21 one-segment messages at 40 per second: the last may start only 500 ms after the first
            assertTrue(ms >= 480, "took " + ms + " ms");
        }
    }

    @Test
    void aClosedChannelEndsTheRunWithEveryItemStillGivenAnOutcome() {
        try (FakeTwilio twilio = FakeTwilio.start()) {
            Channel sms = SmsChannel.open(twilio.config().build());
            sms.close();
            List<BulkOutcome<Message>> outcomes = new ArrayList<>();
            BulkSummary summary = BulkSender.builder(sms, FAST).concurrency(2).build()
                    .send(recipients(50).stream().map(r -> Message.text(r, "hi")), outcomes::add);
            assertEquals(50, outcomes.size());
            assertEquals(0, twilio.requestCount());
            assertTrue(summary.stoppedBecause().orElseThrow().contains("closed"), summary.toString());
            assertEquals(50, summary.progress().rejected() + summary.progress().notAttempted());
        }
    }

    @Test
    void aFailingOutcomeCallbackStopsTheRunAndIsRethrown() {
        try (FakeTwilio twilio = FakeTwilio.start(); Channel sms = SmsChannel.open(twilio.config().build())) {
            IllegalStateException boom = new IllegalStateException("disk full");
            IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> BulkSender.builder(sms, FAST).concurrency(1).build()
                            .send(recipients(20).stream().map(r -> Message.text(r, "hi")), o -> {
                                throw boom;
                            }));
            org.junit.jupiter.api.Assertions.assertSame(boom, thrown);
            assertTrue(twilio.sent().size() <= 2, "the run stopped: " + twilio.sent().size());
        }
    }

    @Test
    void segmentsOfLongOrUnicodeTextCostMore() {
        assertEquals(1, BulkSender.segments(Message.text("+14155551234", "a".repeat(160))));
        assertEquals(2, BulkSender.segments(Message.text("+14155551234", "a".repeat(161))));
        assertEquals(3, BulkSender.segments(Message.text("+14155551234", "It\u2019s " + "a".repeat(150))));
        assertEquals(1, BulkSender.segments(Message.text("whatsapp:+14155551234", "a".repeat(500))));
    }
}
