package org.twiliochannels.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.event.Outcome;
import org.twiliochannels.core.event.RetryReason;
import org.twiliochannels.core.event.RetryScheduled;
import org.twiliochannels.core.event.SendFinished;
import org.twiliochannels.core.event.SendStarted;
import org.twiliochannels.core.event.SettleLookup;
import org.twiliochannels.core.event.Throttled;
import org.twiliochannels.core.event.WebhookVerified;
import org.twiliochannels.core.event.RefusalReason;
import org.twiliochannels.core.event.SendRefused;

/** The listener driven directly with event records. */
class MicrometerTwilioListenerTest {
    private static final MessageSid SID = MessageSid.of("SM0123456789abcdef0123456789abcdef");

    private SimpleMeterRegistry meters;
    private TestObservationRegistry observations;
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private MicrometerTwilioListener listener;

    @BeforeEach
    void setUp() {
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
        listener = new MicrometerTwilioListener(meters, observations);
    }

    private void send(long id, String channel, Outcome outcome, OptionalInt code, Duration took) {
        listener.sendStarted(new SendStarted(id, channel, "+1415***1234", Instant.EPOCH));
        listener.sendFinished(new SendFinished(id, channel, outcome,
                outcome == Outcome.ACCEPTED ? Optional.of(SID) : Optional.empty(), code, 1, false, took));
    }

    private double sent(String channel, String outcome, String errorCode) {
        return meters.get(MicrometerTwilioListener.MESSAGES_SENT).tag("channel", channel).tag("outcome", outcome)
                .tag("error.code", errorCode).counter().count();
    }

    @Test
    void countsEachOutcomeWithItsErrorCodeTag() {
        send(1, "sms", Outcome.ACCEPTED, OptionalInt.empty(), Duration.ofMillis(120));
        send(2, "sms", Outcome.ACCEPTED, OptionalInt.empty(), Duration.ofMillis(80));
        send(3, "sms", Outcome.REJECTED, OptionalInt.of(21211), Duration.ofMillis(40));
        send(4, "whatsapp", Outcome.REJECTED, OptionalInt.of(30999), Duration.ofMillis(40));
        send(5, "sms", Outcome.UNKNOWN, OptionalInt.empty(), Duration.ofSeconds(3));

        assertEquals(2.0, sent("sms", "accepted", "none"));
        assertEquals(1.0, sent("sms", "rejected", "21211"));
        assertEquals(1.0, sent("whatsapp", "rejected", "other"));
        assertEquals(1.0, sent("sms", "unknown", "none"));
        assertEquals(4, meters.get(MicrometerTwilioListener.MESSAGES_SENT).counters().size());
    }

    @Test
    void timesTheWholeSendByChannelAndOutcome() {
        send(1, "sms", Outcome.ACCEPTED, OptionalInt.empty(), Duration.ofMillis(120));
        send(2, "sms", Outcome.ACCEPTED, OptionalInt.empty(), Duration.ofMillis(80));
        send(3, "sms", Outcome.UNKNOWN, OptionalInt.empty(), Duration.ofSeconds(3));

        var accepted = meters.get(MicrometerTwilioListener.SEND_DURATION).tag("channel", "sms")
                .tag("outcome", "accepted").timer();
        assertEquals(2, accepted.count());
        assertEquals(200.0, accepted.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(3000.0, meters.get(MicrometerTwilioListener.SEND_DURATION).tag("outcome", "unknown").timer()
                .totalTime(TimeUnit.MILLISECONDS), 0.001);
    }

    @Test
    void countsRetriesByReasonThrottlingAndSettleLookups() {
        listener.sendStarted(new SendStarted(7, "sms", "+1415***1234", Instant.EPOCH));
        for (RetryReason reason : RetryReason.values()) {
            listener.retryScheduled(new RetryScheduled(7, "sms", 1, reason, Duration.ofMillis(10)));
        }
        listener.retryScheduled(new RetryScheduled(7, "sms", 2, RetryReason.RATE_LIMITED, Duration.ofMillis(10)));
        listener.throttled(new Throttled(7, "sms", 1, Optional.of(Duration.ofSeconds(1))));
        listener.throttled(new Throttled(7, "sms", 2, Optional.empty()));
        listener.settleLookup(new SettleLookup(7, "sms", SettleLookup.SettleResult.ABSENT, Optional.empty(), 1));
        listener.settleLookup(new SettleLookup(7, "sms", SettleLookup.SettleResult.FOUND, Optional.of(SID), 1));
        listener.sendFinished(new SendFinished(7, "sms", Outcome.ACCEPTED, Optional.of(SID), OptionalInt.empty(), 3,
                true, Duration.ofSeconds(6)));

        assertEquals(2.0, meters.get(MicrometerTwilioListener.SEND_RETRIES).tag("reason", "rate_limited").counter().count());
        for (String reason : List.of("unreachable", "transient_error", "settled_absent", "ambiguous")) {
            assertEquals(1.0, meters.get(MicrometerTwilioListener.SEND_RETRIES).tag("channel", "sms")
                    .tag("reason", reason).counter().count(), reason);
        }
        assertEquals(2.0, meters.get(MicrometerTwilioListener.API_THROTTLED).tag("channel", "sms").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.SETTLE_LOOKUPS).tag("result", "absent").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.SETTLE_LOOKUPS).tag("result", "found").counter().count());
    }

    @Test
    void countsWebhookVerificationsByKindAndResult() {
        listener.webhookVerified(new WebhookVerified("inbound", true, ""));
        listener.webhookVerified(new WebhookVerified("inbound", false, "bad signature"));
        listener.webhookVerified(new WebhookVerified("status", true, ""));
        listener.webhookVerified(new WebhookVerified("something new", false, "missing signature"));

        assertEquals(1.0, meters.get(MicrometerTwilioListener.WEBHOOK_VERIFICATIONS).tag("kind", "inbound")
                .tag("result", "accepted").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.WEBHOOK_VERIFICATIONS).tag("kind", "inbound")
                .tag("result", "rejected").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.WEBHOOK_VERIFICATIONS).tag("kind", "status")
                .tag("result", "accepted").counter().count());
        assertEquals(1.0, meters.get(MicrometerTwilioListener.WEBHOOK_VERIFICATIONS).tag("kind", "unknown")
                .tag("result", "rejected").counter().count());
    }

    @Test
    void observesEachSendFromStartToFinish() {
        send(1, "sms", Outcome.ACCEPTED, OptionalInt.empty(), Duration.ofMillis(1));
        listener.sendStarted(new SendStarted(2, "whatsapp", "whatsapp:+1415***1234", Instant.EPOCH));
        assertEquals(1, listener.inFlight());
        listener.sendFinished(new SendFinished(2, "whatsapp", Outcome.REJECTED, Optional.empty(), OptionalInt.of(63016),
                1, false, Duration.ofMillis(1)));
        assertEquals(0, listener.inFlight());

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(MicrometerTwilioListener.SEND_OBSERVATION, 2)
                .forAllObservationsWithNameEqualTo(MicrometerTwilioListener.SEND_OBSERVATION, ctx -> ctx
                        .hasLowCardinalityKeyValue("messaging.system", "twilio")
                        .hasLowCardinalityKeyValue("messaging.operation.type", "send"));
        assertEquals(2, stopped.size());
        Observation.Context rejected = stopped.get(1);
        assertEquals("twilio send whatsapp", rejected.getContextualName());
        assertEquals("rejected", rejected.getLowCardinalityKeyValue("twilio.outcome").getValue());
        assertEquals("63016", rejected.getLowCardinalityKeyValue("error.code").getValue());
        assertEquals("whatsapp", rejected.getLowCardinalityKeyValue("twilio.channel").getValue());
        assertNull(rejected.getHighCardinalityKeyValue("twilio.message.sid"));
        assertEquals(SID.value(), stopped.get(0).getHighCardinalityKeyValue("twilio.message.sid").getValue());
    }

    @Test
    void everyMeterOfOneNameCarriesTheSameTagKeys() {
        send(1, "sms", Outcome.ACCEPTED, OptionalInt.empty(), Duration.ofMillis(1));
        send(2, "sms", Outcome.REJECTED, OptionalInt.of(21610), Duration.ofMillis(1));
        send(3, "whatsapp", Outcome.UNKNOWN, OptionalInt.of(20500), Duration.ofMillis(1));
        listener.webhookVerified(new WebhookVerified("unknown", false, "missing signature"));
        listener.webhookVerified(new WebhookVerified("status", true, ""));
        listener.sendRefused(new SendRefused(4, "sms", RefusalReason.OPTED_OUT));
        listener.sendRefused(new SendRefused(0, "whatsapp", RefusalReason.QUIET_HOURS));

        java.util.Map<String, Set<String>> keys = new java.util.HashMap<>();
        for (Meter m : meters.getMeters()) {
            Set<String> these = new TreeSet<>();
            m.getId().getTags().forEach(t -> these.add(t.getKey()));
            Set<String> first = keys.putIfAbsent(m.getId().getName(), these);
            assertTrue(first == null || first.equals(these), m.getId() + " has tag keys " + these + ", others " + first);
        }
        assertEquals(Set.of("channel", "outcome", "error.code"), keys.get(MicrometerTwilioListener.MESSAGES_SENT));
        assertEquals(Set.of("channel", "reason"), keys.get(MicrometerTwilioListener.SENDS_REFUSED));
    }

    @Test
    void withoutObservationRegistryOnlyMeters() {
        MicrometerTwilioListener metersOnly = new MicrometerTwilioListener(meters);
        metersOnly.sendStarted(new SendStarted(1, "sms", "+1415***1234", Instant.EPOCH));
        assertEquals(0, metersOnly.inFlight());
        metersOnly.sendFinished(new SendFinished(1, "sms", Outcome.ACCEPTED, Optional.of(SID), OptionalInt.empty(), 1,
                false, Duration.ofMillis(5)));
        assertEquals(1.0, sent("sms", "accepted", "none"));
        assertFalse(metersOnly.toString().contains("observations"));
    }

    @Test
    void errorCodeTagIsCatalogueCodeOtherOrNone() {
        assertEquals("none", MicrometerTwilioListener.errorCodeTag(OptionalInt.empty()));
        assertEquals("21211", MicrometerTwilioListener.errorCodeTag(OptionalInt.of(21211)));
        assertEquals("20429", MicrometerTwilioListener.errorCodeTag(OptionalInt.of(20429)));
        assertEquals("other", MicrometerTwilioListener.errorCodeTag(OptionalInt.of(12345)));
    }

    /** Every meter name, tag and observation name or key value, for scans. */
    static List<String> everything(SimpleMeterRegistry meters, List<Observation.Context> contexts) {
        List<String> all = new ArrayList<>();
        for (Meter m : meters.getMeters()) {
            all.add(m.getId().getName());
            for (Tag t : m.getId().getTags()) {
                all.add(t.getKey() + "=" + t.getValue());
            }
        }
        for (Observation.Context c : contexts) {
            all.add(c.getName());
            all.add(c.getContextualName());
            for (KeyValue kv : c.getAllKeyValues()) {
                all.add(kv.getKey() + "=" + kv.getValue());
            }
        }
        assertNotNull(all);
        return all;
    }
}
