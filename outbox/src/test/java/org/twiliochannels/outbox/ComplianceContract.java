package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.ConsentState;
import org.twiliochannels.core.schedule.FrequencyCap;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.testing.FakeTwilio;

/**
 * The outbox's compliance rules on each engine: the consent ledger in its database, opt-outs,
 * quiet hours and frequency caps checked when a worker claims a message, duplicates, cancel and
 * reschedule by key. Every decision is taken on the test's clock, which stands still until moved.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ComplianceContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** 03:00 in Chicago, quiet hours for marketing. */
    static final Instant NIGHT = Instant.parse("2026-12-08T09:00:00Z");
    /** 08:00 in Chicago, when the marketing window opens. */
    static final Instant OPENS = Instant.parse("2026-12-08T14:00:00Z");
    /** 12:00 in Chicago. */
    static final Instant NOON = Instant.parse("2026-12-08T18:00:00Z");
    static final String CHICAGO = "+13125550101";

    FakeTwilio twilio;
    TwilioAccount account;
    TestClock clock;
    String prefix;
    OutboxWorker worker;
    final WorkerSettings settings = WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).build();

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        twilio = FakeTwilio.start();
        account = TwilioAccount.open(twilio.config().sendDeadline(Duration.ofSeconds(3)).build());
        prefix = "comp" + TABLES.incrementAndGet() + "_";
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        account.close();
        twilio.close();
    }

    Outbox outbox(Instant start, java.util.function.UnaryOperator<Outbox.Builder> settings) {
        clock = new TestClock(start);
        Outbox o = settings.apply(Outbox.builder(dataSource()).tablePrefix(prefix).lease(Duration.ofSeconds(5))
                .workerId("worker-a").clock(clock)).build();
        o.migrate();
        return o;
    }

    ConsentScope smsScope() {
        return ConsentScope.sender(twilio.accountSid(), "sms", FakeTwilio.DEFAULT_SMS_NUMBER);
    }

    static OutboxMessage sms(String to, String body, String key) {
        return OutboxMessage.builder("sms", Message.text(to, body)).key(key).build();
    }

    static OutboxMessage marketing(String to, String body, String key) {
        return OutboxMessage.builder("sms", Message.text(to, body)).key(key).category(MessageCategory.MARKETING).build();
    }

    // ---- the consent ledger

    @Test
    void theLedgerKeepsEveryChangeWithItsSourceAndTheLatestInForce() throws Exception {
        Outbox outbox = outbox(NOON, b -> b);
        ConsentLedger ledger = outbox.consentLedger();
        Address to = Address.parse(CHICAGO);
        ConsentScope scope = smsScope();
        ConsentScope other = ConsentScope.sender(twilio.accountSid(), "sms", Address.parse("+15005550007"));
        MessageSid sid = MessageSid.of("SM" + "a".repeat(32));
        ledger.record(ConsentChange.optOut(to, scope, new ConsentSource.Keyword("STOP", sid), NOON.minusSeconds(60)));
        ledger.record(ConsentChange.optIn(to, scope, new ConsentSource.Api("support:alice", "asked by phone, ticket 7"),
                NOON));
        // recorded later, but older: kept in the history, not in force
        ledger.record(ConsentChange.optOut(to, scope, new ConsentSource.Error21610(), NOON.minusSeconds(120)));
        ledger.record(ConsentChange.optOut(to, other, new ConsentSource.Api("crm", ""), NOON));

        assertEquals(ConsentState.OPTED_IN, ledger.status(scope, to).orElseThrow().state());
        assertEquals(new ConsentSource.Api("support:alice", "asked by phone, ticket 7"),
                ledger.status(scope, to).orElseThrow().source());
        assertTrue(ledger.isOptedOut(other, to));
        assertEquals(List.of("error-21610", "keyword", "api", "api"),
                ledger.history(to).stream().map(c -> c.source().kind()).toList());
        assertEquals(new ConsentSource.Keyword("STOP", sid), ledger.history(to).get(1).source());
        assertEquals(2, ledger.current().size());
        assertEquals(4, ledger.changes().size());
        // another instance on the same database sees the same ledger
        Outbox again = Outbox.builder(dataSource()).tablePrefix(prefix).build();
        assertEquals(ledger.current(), again.consentLedger().current());
        StringBuilder csv = new StringBuilder();
        ledger.exportCsv(csv, true);
        String[] lines = csv.toString().split("\r\n");
        assertEquals("at,recipient,account,channel,sender,state,source,keyword,message_sid,who,note", lines[0]);
        assertEquals(5, lines.length);
        assertTrue(lines[2].contains("+1312***0101") && lines[2].contains(",STOP," + sid.value()), lines[2]);
        assertTrue(ledger.status(scope, Address.parse("+13125550199")).isEmpty());
    }

    @Test
    void anOptedOutRecipientEndsOptedOutAtClaimWithoutARequest() {
        Outbox outbox = outbox(NOON, b -> b);
        outbox.enqueue(sms(CHICAGO, "Your order shipped", "to-opted-out"));
        outbox.enqueue(sms("+13125550102", "Your order shipped", "to-consenting"));
        // the opt-out comes while the message waits: the claim checks again
        outbox.consentLedger().record(ConsentChange.optOut(Address.parse(CHICAGO), smsScope(),
                new ConsentSource.Api("support:bob", "by email"), NOON.minusSeconds(1)));
        worker = outbox.startWorker(account, settings);
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 1
                && outbox.counts().get(OutboxState.OPTED_OUT) == 1);

        assertEquals(List.of("+13125550102"), twilio.sent().stream().map(s -> s.to()).toList());
        OutboxRecord r = outbox.state("to-opted-out").orElseThrow();
        assertEquals(OutboxState.OPTED_OUT, r.state());
        assertEquals(0, r.attempts());
        assertEquals(List.of("enqueued", "opted-out"), r.history().stream().map(OutboxEvent::kind).toList());
        assertTrue(r.errorMessage().orElseThrow().contains("opted out in " + smsScope().key()), r.errorMessage().get());
    }

    @Test
    void anOptOutForAnotherSenderDoesNotStopTheMessage() {
        Outbox outbox = outbox(NOON, b -> b);
        outbox.consentLedger().record(ConsentChange.optOut(Address.parse(CHICAGO),
                ConsentScope.sender(twilio.accountSid(), "sms", Address.parse("+15005550007")),
                new ConsentSource.Api("crm", ""), NOON));
        outbox.enqueue(sms(CHICAGO, "Hello", "k"));
        worker = outbox.startWorker(account, settings);
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 1);
        assertEquals(1, twilio.sent().size());
    }

    // ---- quiet hours

    @Test
    void marketingEnqueuedInQuietHoursIsQueuedWithTheTimeItWillGo() {
        Outbox outbox = outbox(NIGHT, b -> b);
        OutboxMessage promo = marketing(CHICAGO, "20% off today", "promo");
        assertEquals(OPENS, outbox.dueAt(promo));
        assertEquals(Optional.of(OPENS), outbox.heldUntil(promo));
        assertEquals(Optional.empty(), outbox.heldUntil(sms(CHICAGO, "Your code is 1234", "x")));
        outbox.enqueue(promo);
        outbox.enqueue(sms(CHICAGO, "Your code is 1234", "transactional"));
        worker = outbox.startWorker(account, settings);
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 1);

        OutboxRecord r = outbox.state("promo").orElseThrow();
        assertEquals(OutboxState.QUEUED, r.state());
        assertEquals(OPENS, r.dueAt());
        assertEquals(MessageCategory.MARKETING, r.category());
        assertEquals(List.of("Your code is 1234"), twilio.sent().stream().map(s -> s.body().orElseThrow()).toList());

        clock.advance(Duration.between(NIGHT, OPENS));
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 2);
        assertEquals("20% off today", twilio.sent().get(1).body().orElseThrow());
    }

    @Test
    void aMessageDueInTheWindowButClaimedInQuietHoursIsHeldUntilItOpens() {
        Instant evening = Instant.parse("2026-12-09T02:30:00Z"); // 20:30 in Chicago: open
        Outbox outbox = outbox(evening, b -> b);
        outbox.enqueue(marketing(CHICAGO, "Last chance", "late"));
        assertEquals(evening, outbox.state("late").orElseThrow().dueAt());
        clock.advance(Duration.ofHours(1)); // 21:30: closed when the worker claims it
        worker = outbox.startWorker(account, settings);
        Instant nextMorning = Instant.parse("2026-12-09T14:00:00Z");
        await(outbox, () -> outbox.state("late").orElseThrow().dueAt().equals(nextMorning));

        OutboxRecord r = outbox.state("late").orElseThrow();
        assertEquals(OutboxState.QUEUED, r.state());
        assertEquals(List.of("enqueued", "held"), r.history().stream().map(OutboxEvent::kind).toList());
        assertTrue(r.history().get(1).detail().orElseThrow().contains("08:00\u201321:00"), r.history().get(1).detail().get());
        assertEquals(0, twilio.sent().size());
    }

    @Test
    void theRecipientsOwnTimeZoneWins() {
        Outbox outbox = outbox(NIGHT, b -> b); // 03:00 in Chicago, 10:00 in Paris
        OutboxMessage m = OutboxMessage.builder("sms", Message.text(CHICAGO, "Bonjour")).category(MessageCategory.MARKETING)
                .timeZone(ZoneId.of("Europe/Paris")).build();
        assertEquals(NIGHT, outbox.dueAt(m));
    }

    @Test
    void criticalMessagesAreNeverHeld() {
        Outbox outbox = outbox(NIGHT, b -> b);
        OutboxMessage code = OutboxMessage.builder("sms", Message.text(CHICAGO, "Code 99"))
                .category(MessageCategory.CRITICAL).build();
        assertEquals(NIGHT, outbox.dueAt(code));
    }

    // ---- cancel and reschedule

    @Test
    void aQueuedReminderIsMovedThenCanceledAndNeverSent() {
        Outbox outbox = outbox(NOON, b -> b);
        Instant tomorrow = NOON.plus(Duration.ofDays(1));
        outbox.enqueue(OutboxMessage.builder("sms", Message.text(CHICAGO, "Appointment tomorrow 10:00"))
                .key("appt-7").notBefore(tomorrow).build());
        assertEquals(tomorrow, outbox.state("appt-7").orElseThrow().dueAt());

        Instant later = tomorrow.plus(Duration.ofHours(2));
        KeyedChange moved = outbox.reschedule("appt-7", later);
        assertTrue(moved.applied());
        assertEquals(Optional.of(later), moved.dueAt());
        assertEquals(later, outbox.state("appt-7").orElseThrow().dueAt());

        KeyedChange canceled = outbox.cancel("appt-7");
        assertTrue(canceled.applied());
        assertEquals(OutboxState.CANCELED, canceled.state());
        assertEquals("appt-7: canceled; no request was made", canceled.describe("canceled"));
        KeyedChange again = outbox.cancel("appt-7");
        assertFalse(again.applied());
        assertEquals("appt-7: too late, it was already canceled; not canceled", again.describe("canceled"));
        assertFalse(outbox.reschedule("appt-7", later).applied());

        worker = outbox.startWorker(account, settings);
        clock.advance(Duration.ofDays(2));
        outbox.enqueue(sms(CHICAGO, "marker", "marker"));
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 1);
        assertEquals(List.of("marker"), twilio.sent().stream().map(s -> s.body().orElseThrow()).toList());
        assertEquals(List.of("enqueued", "rescheduled", "canceled"),
                outbox.state("appt-7").orElseThrow().history().stream().map(OutboxEvent::kind).toList());
    }

    @Test
    void anUnknownKeyIsAClearError() {
        Outbox outbox = outbox(NOON, b -> b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> outbox.cancel("nope"));
        assertEquals("key \"nope\": no message in the outbox has this key (never enqueued, or purged by the"
                + " retention); check the key, and the outbox's table prefix", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> outbox.reschedule("nope", NOON));
    }

    @Test
    void aCancelAfterTheSendIsTooLateAndSaysWhatHappened() {
        Outbox outbox = outbox(NOON, b -> b);
        outbox.enqueue(sms(CHICAGO, "Sent at once", "fast"));
        worker = outbox.startWorker(account, settings);
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 1);
        KeyedChange c = outbox.cancel("fast");
        assertFalse(c.applied());
        assertEquals(OutboxState.ACCEPTED, c.state());
        assertEquals("fast: too late, Twilio accepted it as " + twilio.sent().get(0).sid() + "; not canceled",
                c.describe("canceled"));
    }

    @Test
    void aCancelRacingTheWorkersEitherWinsOrIsTooLateNeverBoth() throws Exception {
        Outbox outbox = outbox(NOON, b -> b);
        int n = 60;
        List<OutboxMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(sms("+1312555" + String.format("%04d", 1000 + i), "race " + i, "race-" + i));
        }
        try (var c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueueAll(c, batch);
            c.commit();
        }
        ExecutorService cancels = Executors.newFixedThreadPool(4);
        List<Future<KeyedChange>> answers = new ArrayList<>();
        worker = outbox.startWorker(account, settings);
        for (int i = 0; i < n; i++) {
            String key = "race-" + i;
            answers.add(cancels.submit(() -> outbox.cancel(key)));
        }
        cancels.shutdown();
        int canceled = 0;
        for (int i = 0; i < n; i++) {
            KeyedChange answer = answers.get(i).get();
            if (answer.applied()) {
                canceled++;
            }
        }
        int expectCanceled = canceled;
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) + expectCanceled == n);
        for (int i = 0; i < n; i++) {
            KeyedChange answer = answers.get(i).get();
            OutboxState now = outbox.state("race-" + i).orElseThrow().state();
            String to = "+1312555" + String.format("%04d", 1000 + i);
            boolean sent = twilio.sent().stream().anyMatch(s -> s.to().equals(to));
            assertEquals(answer.applied(), now == OutboxState.CANCELED, "race-" + i + ": " + answer);
            assertEquals(!answer.applied(), sent, "race-" + i + ": " + answer);
        }
        assertEquals(n - canceled, twilio.sent().size());
    }

    // ---- frequency caps and duplicates

    @Test
    void aFrequencyCapHoldsTheMessageOverItUntilTheCapAllowsIt() {
        Outbox outbox = outbox(NOON, b -> b.frequencyCap(FrequencyCap.of(MessageCategory.MARKETING, 2, Duration.ofDays(1))));
        outbox.enqueue(marketing(CHICAGO, "Offer 1", "o1"));
        outbox.enqueue(marketing(CHICAGO, "Offer 2", "o2"));
        outbox.enqueue(marketing(CHICAGO, "Offer 3", "o3"));
        outbox.enqueue(sms(CHICAGO, "Receipt", "receipt")); // transactional: not capped
        worker = outbox.startWorker(account, settings);
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 3
                && outbox.state("o3").orElseThrow().history().size() == 2);

        OutboxRecord third = outbox.state("o3").orElseThrow();
        assertEquals(OutboxState.QUEUED, third.state());
        assertEquals(NOON.plus(Duration.ofDays(1)), third.dueAt());
        assertTrue(third.history().get(1).detail().orElseThrow().startsWith("frequency cap: at most 2 MARKETING"));
        assertEquals(3, twilio.sent().size());

        // a second outbox instance on the same database counts the same sends
        clock.advance(Duration.ofHours(1));
        Outbox other = Outbox.builder(dataSource()).tablePrefix(prefix).lease(Duration.ofSeconds(5)).workerId("worker-b")
                .clock(clock).frequencyCap(FrequencyCap.of(MessageCategory.MARKETING, 2, Duration.ofDays(1))).build();
        other.enqueue(marketing(CHICAGO, "Offer 4", "o4"));
        await(outbox, () -> outbox.state("o4").orElseThrow().history().size() == 2);
        assertEquals(OutboxState.QUEUED, outbox.state("o4").orElseThrow().state());
        assertEquals(3, twilio.sent().size());

        clock.advance(Duration.ofDays(1));
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 5);
    }

    @Test
    void theSameContentToTheSameRecipientWithinTheWindowIsDroppedAsADuplicate() {
        Outbox outbox = outbox(NOON, b -> b.duplicateWindow(Duration.ofHours(1)));
        outbox.enqueue(sms(CHICAGO, "Your parcel arrives today", "from-orders"));
        outbox.enqueue(sms(CHICAGO, "Your  parcel arrives today ", "from-shipping")); // same after normalizing
        outbox.enqueue(sms("+13125550102", "Your parcel arrives today", "other-person"));
        worker = outbox.startWorker(account, settings);
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 2
                && outbox.counts().get(OutboxState.DUPLICATE) == 1);
        assertEquals(2, twilio.sent().size());
        assertEquals(OutboxState.DUPLICATE, outbox.state("from-shipping").orElseThrow().state());

        clock.advance(Duration.ofHours(2)); // the window passed: the same text goes again
        outbox.enqueue(sms(CHICAGO, "Your parcel arrives today", "next-day"));
        await(outbox, () -> outbox.counts().get(OutboxState.ACCEPTED) == 3);
    }

    @Test
    void badRuleSettingsAreRefusedNamingTheField() {
        Outbox.Builder b = Outbox.builder(dataSource());
        b.frequencyCap(FrequencyCap.of(MessageCategory.MARKETING, 3, Duration.ofDays(1)));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> b.frequencyCap(FrequencyCap.of(MessageCategory.MARKETING, 1, Duration.ofHours(1))));
        assertTrue(twice.getMessage().startsWith("frequencyCap for MARKETING is given twice"), twice.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> b.duplicateWindow(Duration.ofSeconds(-1)));
        assertTrue(window.getMessage().startsWith("duplicateWindow PT-1S must be zero (off) to 366 days"));
    }

    void await(Outbox outbox, BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                Map<OutboxState, Long> counts = outbox.counts();
                throw new AssertionError("not reached in 30 s; outbox " + counts + ", Twilio received "
                        + twilio.sent().size());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
