package org.twiliochannels.core.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.PrefixedAddress;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.SendOptions;
import org.twiliochannels.core.TestChannels;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.bulk.BulkOutcome;
import org.twiliochannels.core.bulk.BulkSender;
import org.twiliochannels.core.bulk.BulkSummary;
import org.twiliochannels.core.bulk.SenderRate;
import org.twiliochannels.core.event.Outcome;
import org.twiliochannels.core.event.RefusalReason;
import org.twiliochannels.core.event.SendEvent;
import org.twiliochannels.core.event.SendFinished;
import org.twiliochannels.core.event.SendRefused;
import org.twiliochannels.core.event.SendStarted;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.schedule.QuietHoursException;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.Sender;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

/**
 * The checks every send makes before any request, on the real engine against a scripted server:
 * consent from the account's ledger, quiet hours on an injected clock, and 21610 recorded.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChecksOnSendTest {
    private static final AccountSid ACCOUNT = AccountSid.of(TestValues.ACCOUNT_SID);
    private static final PhoneNumber FROM = PhoneNumber.of(TestValues.SMS_FROM);
    private static final PhoneNumber TO = PhoneNumber.of(TestValues.TO);       // +1415: America/Los_Angeles
    private static final MessagingServiceSid SERVICE = MessagingServiceSid.of("MG" + "0".repeat(31) + "1");
    /** 09:00 UTC: 01:00 in San Francisco, 10:00 in Paris. */
    private static final Instant NIGHT_IN_CALIFORNIA = Instant.parse("2026-12-07T09:00:00Z");
    private static final ConsentScope FROM_SCOPE = ConsentScope.sender(ACCOUNT, "sms", FROM);

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final List<SendEvent> events = new CopyOnWriteArrayList<>();
    private final ConsentLedger ledger = ConsentLedger.inMemory();

    private static ChannelPolicy policy(Sender sender) {
        return new ChannelPolicy() {
            @Override
            public Address recipient(Message message) {
                return message.to();
            }

            @Override
            public Sender sender(Message message) {
                return sender;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
    }

    private TwilioAccount account(QuietHours quietHours) {
        return TwilioAccount.builder(TwilioConfig.builder().credentials(TestValues.credentials())
                        .apiBaseUrl(server.url("/").uri()).build())
                .consentLedger(ledger).quietHours(quietHours).clock(Clock.fixed(NIGHT_IN_CALIFORNIA, ZoneOffset.UTC))
                .listener(new TwilioEventListener() {
                    @Override
                    public void sendStarted(SendStarted e) {
                        events.add(e);
                    }

                    @Override
                    public void sendRefused(SendRefused e) {
                        events.add(e);
                    }

                    @Override
                    public void sendFinished(SendFinished e) {
                        events.add(e);
                    }
                }).build();
    }

    private Channel sms(TwilioAccount account) {
        return TestChannels.view(account, "sms", policy(Sender.address(FROM)));
    }

    private static ConsentChange optOut(ConsentScope scope, Address who) {
        return ConsentChange.optOut(who, scope, new ConsentSource.Api("support:alice", "asked by phone"),
                Instant.parse("2026-12-01T00:00:00Z"));
    }

    private void queueCreated() {
        server.enqueue(TwilioJson.created("SM" + "0".repeat(31) + "1", TestValues.TO, TestValues.SMS_FROM, "queued", "1"));
    }

    @Test
    void optedOutRecipientIsRefusedWithoutARequestAndOneOutcome() {
        ledger.record(optOut(FROM_SCOPE, TO));
        try (TwilioAccount account = account(QuietHours.defaults())) {
            RecipientOptedOutException e = assertThrows(RecipientOptedOutException.class,
                    () -> sms(account).send(Message.text(TestValues.TO, "Your order shipped")));
            assertEquals("not sent: +1415***1234 opted out of sms messages from sender +15005550006 (account "
                    + TestValues.ACCOUNT_SID + ") at 2026-12-01T00:00:00Z, as recorded by support:alice; no request was"
                    + " made. They can be messaged again once they reply START or you record their consent in the"
                    + " ConsentLedger.", e.getMessage());
            assertFalse(e.mayHaveBeenSent());
        }
        assertEquals(0, server.getRequestCount());
        assertEquals(3, events.size(), events.toString());
        assertInstanceOf(SendStarted.class, events.get(0));
        assertEquals(RefusalReason.OPTED_OUT, ((SendRefused) events.get(1)).reason());
        SendFinished finished = (SendFinished) events.get(2);
        assertEquals(Outcome.REJECTED, finished.outcome());
        assertEquals(0, finished.attempts());
        assertEquals(events.get(0).sendId(), finished.sendId());
    }

    @Test
    void asyncSendIsCheckedToo() {
        ledger.record(optOut(FROM_SCOPE, TO));
        try (TwilioAccount account = account(QuietHours.defaults())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> sms(account).sendAsync(Message.text(TestValues.TO, "hi")).get(10, TimeUnit.SECONDS));
            assertInstanceOf(RecipientOptedOutException.class, e.getCause());
        }
        assertEquals(0, server.getRequestCount());
        assertEquals(1, events.stream().filter(SendFinished.class::isInstance).count());
    }

    @Test
    void optOutIsPerSenderAndOptInLiftsIt() throws Exception {
        ledger.record(optOut(ConsentScope.sender(ACCOUNT, "sms", PhoneNumber.of("+15005550009")), TO));
        queueCreated();
        queueCreated();
        try (TwilioAccount account = account(QuietHours.defaults())) {
            assertEquals("SM" + "0".repeat(31) + "1", sms(account).send(Message.text(TestValues.TO, "hi")).sid().value());
            ledger.record(optOut(FROM_SCOPE, TO));
            assertThrows(RecipientOptedOutException.class, () -> sms(account).send(Message.text(TestValues.TO, "hi")));
            ledger.record(ConsentChange.optIn(TO, FROM_SCOPE, new ConsentSource.Api("support:alice", "consent form"),
                    Instant.parse("2026-12-02T00:00:00Z")));
            sms(account).send(Message.text(TestValues.TO, "hi"));
        }
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void messagingServiceScopeCoversEverySenderOfTheService() {
        ledger.record(optOut(ConsentScope.service(ACCOUNT, "sms", SERVICE), TO));
        try (TwilioAccount account = account(QuietHours.defaults())) {
            Channel viaService = TestChannels.view(account, "sms", policy(Sender.messagingService(SERVICE)));
            assertThrows(RecipientOptedOutException.class, () -> viaService.send(Message.text(TestValues.TO, "hi")));
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void error21610RecordsTheOptOutAndTheCallerStillGetsTheRejection() {
        server.enqueue(TwilioJson.error(400, 21610, "Attempt to send to unsubscribed recipient"));
        try (TwilioAccount account = account(QuietHours.defaults())) {
            TwilioRejectedException e = assertThrows(TwilioRejectedException.class,
                    () -> sms(account).send(Message.text(TestValues.TO, "hi")));
            assertEquals(21610, e.error().code().getAsInt());
            ConsentChange recorded = ledger.status(FROM_SCOPE, TO).orElseThrow();
            assertEquals(ConsentState.OPTED_OUT, recorded.state());
            assertEquals(new ConsentSource.Error21610(Optional.empty(),
                    "send on the sms channel refused by Twilio with error 21610"), recorded.source());
            assertEquals(NIGHT_IN_CALIFORNIA, recorded.at());
            assertThrows(RecipientOptedOutException.class, () -> sms(account).send(Message.text(TestValues.TO, "again")));
        }
        assertEquals(1, server.getRequestCount(), "the second send made no request");
    }

    @Test
    void otherRejectionsRecordNothing() {
        server.enqueue(TwilioJson.error(400, 21211, "Invalid 'To' Phone Number"));
        try (TwilioAccount account = account(QuietHours.defaults())) {
            assertThrows(TwilioRejectedException.class, () -> sms(account).send(Message.text(TestValues.TO, "hi")));
        }
        assertTrue(ledger.changes().isEmpty());
    }

    @Test
    void marketingAtNightIsHeldSayingWhenTheWindowOpens() {
        Message marketing = Message.builder().to(TestValues.TO).body("20% off").category(MessageCategory.MARKETING).build();
        try (TwilioAccount account = account(QuietHours.defaults())) {
            QuietHoursException e = assertThrows(QuietHoursException.class, () -> sms(account).send(marketing));
            assertEquals(Instant.parse("2026-12-07T16:00:00Z"), e.opensAt());
            assertEquals("not sent: MARKETING messages to +1415***1234 go only 08:00\u201321:00 in the recipient's local"
                    + " time, and the window is closed; it opens at 2026-12-07 16:00 UTC (08:00 America/Los_Angeles)."
                    + " No request was made; send it then, or queue it in the outbox, which holds it until the window"
                    + " opens.", e.getMessage());
        }
        assertEquals(0, server.getRequestCount());
        assertEquals(RefusalReason.QUIET_HOURS, ((SendRefused) events.get(1)).reason());
    }

    @Test
    void whatMayGoAtNightGoes() {
        Message marketing = Message.builder().to(TestValues.TO).body("20% off").category(MessageCategory.MARKETING).build();
        for (int i = 0; i < 4; i++) {
            queueCreated();
        }
        try (TwilioAccount account = account(QuietHours.defaults())) {
            Channel sms = sms(account);
            sms.send(Message.text(TestValues.TO, "Your order shipped"));                       // transactional
            sms.send(Message.builder().to(TestValues.TO).body("Code 123456").category(MessageCategory.CRITICAL).build());
            sms.send(marketing, SendOptions.defaults().overrideQuietHours(true));              // the caller says so
            sms.send(marketing.newBuilder().recipientZone(ZoneId.of("Europe/Paris")).build()); // 10:00 where they are
        }
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void theRecipientsOwnZoneWinsOverTheNumbers() {
        // 16:30 UTC: 08:30 in California, but 01:30 in Tokyo where this person lives
        Message marketing = Message.builder().to(TestValues.TO).body("20% off").category(MessageCategory.MARKETING)
                .recipientZone(ZoneId.of("Asia/Tokyo")).build();
        try (TwilioAccount account = TwilioAccount.builder(TwilioConfig.builder().credentials(TestValues.credentials())
                .apiBaseUrl(server.url("/").uri()).build())
                .clock(Clock.fixed(Instant.parse("2026-12-07T16:30:00Z"), ZoneOffset.UTC)).build()) {
            QuietHoursException e = assertThrows(QuietHoursException.class, () -> sms(account).send(marketing));
            assertEquals(List.of(ZoneId.of("Asia/Tokyo")), e.zones());
            assertEquals(Instant.parse("2026-12-07T23:00:00Z"), e.opensAt());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void quietHoursNoneHoldsNothing() {
        queueCreated();
        try (TwilioAccount account = account(QuietHours.none())) {
            sms(account).send(Message.builder().to(TestValues.TO).body("20% off").category(MessageCategory.MARKETING).build());
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void anUnknownZoneIsABadMessageNamingTheField() {
        ChannelPolicy messenger = new ChannelPolicy() {
            @Override
            public Address recipient(Message message) {
                return message.to();
            }

            @Override
            public Sender sender(Message message) {
                return Sender.address(PrefixedAddress.of("messenger:1234"));
            }

            @Override
            public String describe() {
                return "messenger";
            }
        };
        try (TwilioAccount account = account(QuietHours.defaults())) {
            Channel channel = TestChannels.view(account, "messenger", messenger);
            InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> channel.send(
                    Message.builder().to(PrefixedAddress.of("messenger:5678")).body("sale").category(MessageCategory.MARKETING).build()));
            assertEquals("recipientZone", e.field());
            assertTrue(e.getMessage().contains("Message.Builder.recipientZone"), e.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void bulkReportsOptedOutAndHeldRecipientsWithoutARequestForThem() {
        PhoneNumber optedOut = PhoneNumber.of("+14155550001");
        ledger.record(optOut(FROM_SCOPE, optedOut));
        queueCreated();
        List<BulkOutcome<Message>> outcomes = new CopyOnWriteArrayList<>();
        try (TwilioAccount account = account(QuietHours.defaults())) {
            Message.Builder sale = Message.builder().body("20% off").category(MessageCategory.MARKETING);
            BulkSummary summary = BulkSender.builder(sms(account), SenderRate.of(100)).concurrency(1).build().send(
                    Stream.of(sale.to(optedOut).build(),
                            sale.to(TestValues.TO).build(),                                       // 01:00 local: held
                            sale.to(TestValues.TO).recipientZone(ZoneId.of("Europe/Paris")).build()),
                    outcomes::add);
            assertEquals(1, summary.progress().optedOut());
            assertEquals(1, summary.progress().held());
            assertEquals(1, summary.progress().accepted());
            assertEquals(3, summary.progress().done());
            assertFalse(summary.allAccepted(), "a held item is still to be sent");
            assertTrue(summary.progress().describe().contains(", 1 opted out, 1 held by quiet hours"),
                    summary.progress().describe());
        }
        assertEquals(List.of(BulkOutcome.Kind.OPTED_OUT, BulkOutcome.Kind.HELD, BulkOutcome.Kind.ACCEPTED),
                outcomes.stream().map(BulkOutcome::kind).toList());
        assertEquals(Instant.parse("2026-12-07T16:00:00Z"),
                ((QuietHoursException) outcomes.get(1).failure().orElseThrow()).opensAt());
        assertEquals(1, server.getRequestCount());
        assertEquals(2, events.stream().filter(e -> e instanceof SendRefused r && r.sendId() == 0).count(),
                "the bulk run's checks are told to the listeners: " + events);
    }

    @Test
    void aStatusCallbackWith21610IsAnOptOutInTheServicesScope() {
        org.twiliochannels.core.webhook.StatusCallback callback = new org.twiliochannels.core.webhook.StatusCallback(
                org.twiliochannels.core.MessageSid.of("SM" + "0".repeat(31) + "7"),
                org.twiliochannels.core.MessageStatus.FAILED, java.util.OptionalInt.of(21610),
                java.util.Map.of("AccountSid", TestValues.ACCOUNT_SID, "To", TestValues.TO, "From", TestValues.SMS_FROM,
                        "MessagingServiceSid", SERVICE.value()));
        ConsentChange change = ConsentChange.of(callback, NIGHT_IN_CALIFORNIA).orElseThrow();
        assertEquals(ConsentScope.service(ACCOUNT, "sms", SERVICE), change.scope());
        assertEquals(TO, change.recipient());
        assertEquals(ConsentState.OPTED_OUT, change.state());
        assertEquals(Optional.of(callback.messageSid()), ((ConsentSource.Error21610) change.source()).messageSid());
        assertTrue(ConsentChange.of(new org.twiliochannels.core.webhook.StatusCallback(callback.messageSid(),
                org.twiliochannels.core.MessageStatus.FAILED, java.util.OptionalInt.of(30003), callback.parameters()),
                NIGHT_IN_CALIFORNIA).isEmpty());
    }
}
