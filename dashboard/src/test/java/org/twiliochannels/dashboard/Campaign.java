package org.twiliochannels.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.OutboxRecord;
import org.twiliochannels.outbox.OutboxState;
import org.twiliochannels.outbox.OutboxWorker;
import org.twiliochannels.outbox.WorkerSettings;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

/**
 * A realistic run on a real outbox, sent by a real worker through {@link FakeTwilio}: a campaign
 * of 40 messages (30 delivered, 4 undelivered with 30003,
 * 2 failed with 30008, 2 sent, 2 left at Twilio's first answer), 3 refused by Twilio (21211, 21610,
 * 21408), one that may have been sent (the connection closed after the create and the log could
 * not be read), 6 order receipts without a campaign, delivered, and 5 messages scheduled for
 * tomorrow. Afterwards the consent ledger records 6 changes: today 3 STOP keywords (one of them
 * opted in again with START later), 1 error 21610 and, 3 days ago, 1 opt-out by the application;
 * 40 days ago (before the chart) 1 more opt-out by the application: 5 opted out now.
 */
final class Campaign {
    static final String BATCH = "spring-sale";
    static final PhoneNumber LOST = PhoneNumber.of("+14155550999");

    private Campaign() {}

    /** Fills the outbox on {@code dataSource} (tables with {@code prefix}) and returns it. */
    static Outbox run(DataSource dataSource, String prefix) {
        Outbox outbox = Outbox.builder(dataSource).tablePrefix(prefix).lease(Duration.ofSeconds(20)).build();
        outbox.migrate();
        List<OutboxMessage> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(OutboxMessage.builder("sms", Message.text(number(i).value(), "Spring sale: 20% off until Sunday"))
                    .key("sale-" + i).batch(BATCH).build());
        }
        batch.add(OutboxMessage.builder("sms", Message.text("+15005550001", "Spring sale")).key("sale-bad-number")
                .batch(BATCH).build());
        batch.add(OutboxMessage.builder("sms", Message.text("+15005550004", "Spring sale")).key("sale-opted-out")
                .batch(BATCH).build());
        batch.add(OutboxMessage.builder("sms", Message.text("+15005550003", "Spring sale")).key("sale-no-geo")
                .batch(BATCH).build());
        batch.add(OutboxMessage.builder("sms", Message.text(LOST.value(), "Spring sale")).key("sale-lost")
                .batch(BATCH).build());
        for (int i = 0; i < 6; i++) {
            batch.add(OutboxMessage.of("sms", Message.text("+1628555" + String.format("%04d", i), "Your order shipped"),
                    "receipt-" + i));
        }
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
        for (int i = 0; i < 5; i++) {
            batch.add(OutboxMessage.builder("sms", Message.text("+1718555" + String.format("%04d", i), "Reminder"))
                    .key("reminder-" + i).batch("reminders").notBefore(tomorrow).build());
        }
        for (OutboxMessage m : batch) {
            outbox.enqueue(m);
        }
        AccountSid accountSid;
        try (FakeTwilio twilio = FakeTwilio.start();
             TwilioAccount account = TwilioAccount.open(twilio.config().sendDeadline(Duration.ofSeconds(10))
                     .retryPolicy(RetryPolicy.builder().settleDelay(Duration.ofMillis(100))
                             .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build()).build())) {
            accountSid = twilio.accountSid();
            twilio.failFor(LOST, Fault.disconnectAfterCreate()).failListFor(LOST, Fault.serverError(503));
            OutboxWorker worker = outbox.startWorker(account, WorkerSettings.builder()
                    .pollInterval(Duration.ofMillis(20))
                    .pacing(PacingSettings.builder().senderRate(FakeTwilio.DEFAULT_SMS_NUMBER.value(), 1000).build())
                    .build());
            try {
                await(() -> {
                    Map<OutboxState, Long> c = outbox.counts();
                    return c.get(OutboxState.QUEUED) == 5 && c.get(OutboxState.CLAIMED) == 0
                            && c.get(OutboxState.SENDING) == 0;
                });
            } finally {
                worker.close();
            }
        }
        for (int i = 0; i < 40; i++) {
            MessageStatus last = i < 30 ? MessageStatus.DELIVERED : i < 34 ? MessageStatus.UNDELIVERED
                    : i < 36 ? MessageStatus.FAILED : i < 38 ? MessageStatus.SENT : null;
            OptionalInt code = last == MessageStatus.UNDELIVERED ? OptionalInt.of(30003)
                    : last == MessageStatus.FAILED ? OptionalInt.of(30008) : OptionalInt.empty();
            if (last != null) {
                callback(outbox, "sale-" + i, last, code);
            }
        }
        for (int i = 0; i < 6; i++) {
            callback(outbox, "receipt-" + i, MessageStatus.DELIVERED, OptionalInt.empty());
        }
        consent(outbox, accountSid);
        return outbox;
    }

    /** The consent changes of the class comment, recorded once the campaign is sent. */
    private static void consent(Outbox outbox, AccountSid account) {
        ConsentLedger ledger = outbox.consentLedger();
        ConsentScope scope = ConsentScope.sender(account, "sms", FakeTwilio.DEFAULT_SMS_NUMBER);
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            ledger.record(ConsentChange.optOut(number(20 + i), scope, new ConsentSource.Keyword("STOP",
                    MessageSid.of(String.format("SM%032d", i))), now.minusSeconds(600 - i)));
        }
        ledger.record(ConsentChange.optIn(number(22), scope, new ConsentSource.Keyword("START",
                MessageSid.of(String.format("SM%032d", 9))), now.minusSeconds(60)));
        ledger.record(ConsentChange.optOut(PhoneNumber.of("+15005550004"), scope, new ConsentSource.Error21610(), now));
        ledger.record(ConsentChange.optOut(number(25), scope, new ConsentSource.Api("support:alice", "asked by phone"),
                now.minus(Duration.ofDays(3))));
        ledger.record(ConsentChange.optOut(number(26), scope, new ConsentSource.Api("support:alice", "asked by email"),
                now.minus(Duration.ofDays(40))));
    }

    static PhoneNumber number(int i) {
        return PhoneNumber.of("+1415555" + String.format("%04d", 1000 + i));
    }

    private static void callback(Outbox outbox, String key, MessageStatus status, OptionalInt code) {
        OutboxRecord r = outbox.state(key).orElseThrow();
        MessageSid sid = r.sid().orElseThrow(() -> new AssertionError(key + " was not accepted: " + r));
        outbox.recordStatusCallback(new StatusCallback(sid, MessageStatus.SENT, OptionalInt.empty(), Map.of()));
        if (status != MessageStatus.SENT) {
            outbox.recordStatusCallback(new StatusCallback(sid, status, code, Map.of()));
        }
    }

    private static void await(BooleanSupplier done) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the campaign did not finish within 60 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
