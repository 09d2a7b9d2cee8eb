package org.twiliochannels.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.RetryPolicy;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHoursException;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

/** The listener on a real account sending to the fake Twilio: accepted, rejected, unknown, throttled. */
@Timeout(30)
class MicrometerTwilioListenerEndToEndTest {
    private static final String BODY = "Your table for 4 is ready";
    private static final String TO = "+14155551234";
    private static final String INVALID_TO = "+15005550001";

    private FakeTwilio twilio;
    private SimpleMeterRegistry meters;
    private TestObservationRegistry observations;
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private TwilioAccount account;

    @BeforeEach
    void setUp() {
        twilio = FakeTwilio.start();
        meters = new SimpleMeterRegistry();
        observations = TestObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
        RetryPolicy retries = RetryPolicy.builder().settleFromLog(false).initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5)).build();
        account = TwilioAccount.builder(twilio.config().retryPolicy(retries).build())
                .listener(new MicrometerTwilioListener(meters, observations))
                .build();
    }

    @AfterEach
    void tearDown() {
        account.close();
        twilio.close();
    }

    private double sent(String outcome, String errorCode) {
        var found = meters.find(MicrometerTwilioListener.MESSAGES_SENT).tag("channel", "sms").tag("outcome", outcome)
                .tag("error.code", errorCode).counter();
        return found == null ? 0 : found.count();
    }

    @Test
    void countsAcceptedRejectedAndUnknownSends() {
        Channel sms = account.channel("sms");
        sms.send(Message.text(TO, BODY));
        assertThrows(TwilioRejectedException.class, () -> sms.send(Message.text(INVALID_TO, BODY)));
        twilio.failNext(Fault.serverError(503));
        DeliveryUnknownException unknown = assertThrows(DeliveryUnknownException.class,
                () -> sms.send(Message.text(TO, BODY)));
        assertTrue(unknown.mayHaveBeenSent());

        assertEquals(1.0, sent("accepted", "none"));
        assertEquals(1.0, sent("rejected", "21211"));
        assertEquals(1.0, meters.get(MicrometerTwilioListener.MESSAGES_SENT).tag("outcome", "unknown").counter().count());
        assertEquals(3L, meters.get(MicrometerTwilioListener.SEND_DURATION).timers().stream()
                .mapToLong(t -> t.count()).sum());
        assertEquals(3, stopped.size());
        assertEquals(List.of("accepted", "rejected", "unknown"), stopped.stream()
                .map(c -> c.getLowCardinalityKeyValue("twilio.outcome").getValue()).toList());
        assertNoPersonalDataOrSecret();
    }

    @Test
    void countsThrottlingAndItsRetry() {
        twilio.failNext(Fault.rateLimited(Duration.ZERO));
        account.channel("sms").send(Message.text(TO, BODY));

        assertEquals(1.0, meters.get(MicrometerTwilioListener.API_THROTTLED).tag("channel", "sms").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.SEND_RETRIES).tag("reason", "rate_limited").counter().count());
        assertEquals(1.0, sent("accepted", "none"));
        assertNoPersonalDataOrSecret();
    }

    @Test
    void countsOptedOutAndQuietHoursRefusalsByReason() {
        ConsentLedger ledger = ConsentLedger.inMemory();
        // 09:00 UTC is 01:00 in San Francisco: marketing to +1415 is held
        try (TwilioAccount guarded = TwilioAccount.builder(twilio.config().build())
                .consentLedger(ledger).clock(Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC))
                .listener(new MicrometerTwilioListener(meters, observations)).build()) {
            Channel sms = guarded.channel("sms");
            String unsubscribed = "+15005550004";              // the fake answers 21610, which the ledger records
            assertThrows(TwilioRejectedException.class, () -> sms.send(Message.text(unsubscribed, BODY)));
            assertThrows(RecipientOptedOutException.class, () -> sms.send(Message.text(unsubscribed, BODY)));
            assertThrows(QuietHoursException.class, () -> sms.send(Message.builder().to(TO).body(BODY)
                    .category(MessageCategory.MARKETING).build()));
        }
        assertEquals(1, twilio.requests().size(), "only the first send made a request");
        assertEquals(1.0, meters.get(MicrometerTwilioListener.SENDS_REFUSED).tag("channel", "sms")
                .tag("reason", "opted_out").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.SENDS_REFUSED).tag("reason", "quiet_hours").counter().count());
        assertEquals(2.0, sent("rejected", "none"));
        assertEquals(1.0, sent("rejected", "21610"));
        assertNoPersonalDataOrSecret();
    }

    private void assertNoPersonalDataOrSecret() {
        List<String> all = MicrometerTwilioListenerTest.everything(meters, stopped);
        assertFalse(all.isEmpty());
        List<String> forbidden = List.of(TO, TO.substring(1), "4155551234", INVALID_TO.substring(1), "5550001", "5550004",
                FakeTwilio.DEFAULT_SMS_NUMBER.value().substring(1), BODY, "table", twilio.authToken().revealSecret(),
                twilio.accountSid().value(), "+");
        for (String s : all) {
            for (String f : forbidden) {
                assertFalse(s.contains(f), "\"" + s + "\" contains \"" + f + "\"");
            }
        }
    }
}
