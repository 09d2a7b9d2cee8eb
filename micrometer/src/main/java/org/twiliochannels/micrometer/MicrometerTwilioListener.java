package org.twiliochannels.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.event.RetryScheduled;
import org.twiliochannels.core.event.SendFinished;
import org.twiliochannels.core.event.SendRefused;
import org.twiliochannels.core.event.SendStarted;
import org.twiliochannels.core.event.SettleLookup;
import org.twiliochannels.core.event.Throttled;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;

/**
 * Records what an account does as Micrometer meters, and each send as an {@link Observation} (so
 * Micrometer Tracing, or its OpenTelemetry bridge, makes a span of it). Register it on the account:
 *
 * <pre>{@code
 * TwilioAccount twilio = TwilioAccount.builder(config)
 *         .listener(new MicrometerTwilioListener(meterRegistry, observationRegistry))
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #MESSAGES_SENT}</td><td>counter</td><td>{@code channel}, {@code outcome}
 *       ({@code accepted}, {@code rejected}, {@code unknown}), {@code error.code} (Twilio's code when
 *       the catalogue ({@link TwilioErrorCode}) knows it, {@code other} for other codes, {@code none})</td></tr>
 *   <tr><td>{@value #SEND_DURATION}</td><td>timer</td><td>{@code channel}, {@code outcome}: the whole
 *       send, retries and waits included</td></tr>
 *   <tr><td>{@value #SEND_RETRIES}</td><td>counter</td><td>{@code channel}, {@code reason}
 *       ({@code rate_limited}, {@code unreachable}, {@code transient_error}, {@code settled_absent},
 *       {@code ambiguous})</td></tr>
 *   <tr><td>{@value #API_THROTTLED}</td><td>counter</td><td>{@code channel}: Twilio answered 429</td></tr>
 *   <tr><td>{@value #SETTLE_LOOKUPS}</td><td>counter</td><td>{@code channel}, {@code result}
 *       ({@code found}, {@code absent}, {@code unknown}): message-log look-ups after lost answers</td></tr>
 *   <tr><td>{@value #SENDS_REFUSED}</td><td>counter</td><td>{@code channel}, {@code reason}
 *       ({@code opted_out}: the recipient opted out in the sender's consent scope; {@code quiet_hours}:
 *       the message's category may not go to the recipient now): messages refused before any
 *       request, by a send (then also counted in {@value #MESSAGES_SENT} as {@code rejected}) or by
 *       a bulk run's check of an item before it is paced</td></tr>
 *   <tr><td>{@value #WEBHOOK_VERIFICATIONS}</td><td>counter</td><td>{@code kind} ({@code inbound},
 *       {@code status}, {@code unknown}), {@code result} ({@code accepted}, {@code rejected})</td></tr>
 * </table>
 *
 * <p>Every meter of one name always carries the same tag keys. The observation
 * ({@value #SEND_OBSERVATION}, contextual name {@code "twilio send <channel>"}) carries the
 * low-cardinality key values {@code messaging.system=twilio}, {@code messaging.operation.type=send},
 * {@code twilio.channel}, {@code twilio.outcome} and {@code error.code}, and the high-cardinality
 * {@code twilio.message.sid} of accepted sends. No tag, name or key value ever holds a phone number,
 * a message body or a secret: the events this listener reads do not carry them.
 *
 * <p>Give each account its own listener (several listeners may share one registry): send ids are
 * unique within one account only, and the listener keys the observations in flight by them.
 * Thread-safe; every method is fast and never throws (as {@link TwilioEventListener} asks).
 */
public final class MicrometerTwilioListener implements TwilioEventListener {
    /** Counter of finished sends. */
    public static final String MESSAGES_SENT = "twilio.messages.sent";
    /** Timer of whole sends. */
    public static final String SEND_DURATION = "twilio.send.duration";
    /** Counter of retries. */
    public static final String SEND_RETRIES = "twilio.send.retries";
    /** Counter of 429 answers. */
    public static final String API_THROTTLED = "twilio.api.throttled";
    /** Counter of message-log look-ups. */
    public static final String SETTLE_LOOKUPS = "twilio.settle.lookups";
    /** Counter of messages refused before any request (opted out, quiet hours). */
    public static final String SENDS_REFUSED = "twilio.send.refused";
    /** Counter of webhook verifications. */
    public static final String WEBHOOK_VERIFICATIONS = "twilio.webhook.verifications";
    /** The name of the observation of one send. */
    public static final String SEND_OBSERVATION = "twilio.send";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<Long, Observation> inFlight = new ConcurrentHashMap<>();

    /** Meters only: no observations. */
    public MicrometerTwilioListener(MeterRegistry meters) {
        this(meters, ObservationRegistry.NOOP);
    }

    /** Meters, and an observation per send in {@code observations}. */
    public MicrometerTwilioListener(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.observations = Objects.requireNonNull(observations, "observations");
    }

    /** Starts the send's observation (a no-op when there is no observation registry). */
    @Override
    public void sendStarted(SendStarted event) {
        if (observations.isNoop()) {
            return;
        }
        Observation observation = Observation.createNotStarted(SEND_OBSERVATION, observations)
                .contextualName("twilio send " + event.channel())
                .lowCardinalityKeyValue("messaging.system", "twilio")
                .lowCardinalityKeyValue("messaging.operation.type", "send")
                .lowCardinalityKeyValue("twilio.channel", event.channel());
        inFlight.put(event.sendId(), observation.start());
    }

    /** Counts the retry, and marks it on the send's observation. */
    @Override
    public void retryScheduled(RetryScheduled event) {
        Counter.builder(SEND_RETRIES)
                .description("Attempts of a send that were followed by another")
                .tag("channel", event.channel())
                .tag("reason", event.reason().tag())
                .register(meters)
                .increment();
        Observation observation = inFlight.get(event.sendId());
        if (observation != null) {
            observation.event(Observation.Event.of("twilio.retry", "retry " + event.reason().tag()));
        }
    }

    /** Counts the 429. */
    @Override
    public void throttled(Throttled event) {
        Counter.builder(API_THROTTLED)
                .description("Attempts Twilio refused with 429 (too many requests)")
                .tag("channel", event.channel())
                .register(meters)
                .increment();
    }

    /** Counts the look-up by its result. */
    @Override
    public void settleLookup(SettleLookup event) {
        Counter.builder(SETTLE_LOOKUPS)
                .description("Look-ups of Twilio's message log after an answer was lost")
                .tag("channel", event.channel())
                .tag("result", event.result().name().toLowerCase(java.util.Locale.ROOT))
                .register(meters)
                .increment();
    }

    /** Counts the refusal by its reason, and marks it on the send's observation. */
    @Override
    public void sendRefused(SendRefused event) {
        Counter.builder(SENDS_REFUSED)
                .description("Messages refused before any request: recipient opted out, or held by quiet hours")
                .tag("channel", event.channel())
                .tag("reason", event.reason().tag())
                .register(meters)
                .increment();
        Observation observation = event.sendId() == 0 ? null : inFlight.get(event.sendId());
        if (observation != null) {
            observation.event(Observation.Event.of("twilio.refused", "refused " + event.reason().tag()));
        }
    }

    /** Counts the send, records its duration and stops its observation. */
    @Override
    public void sendFinished(SendFinished event) {
        String outcome = event.outcome().tag();
        String errorCode = errorCodeTag(event.errorCode());
        Counter.builder(MESSAGES_SENT)
                .description("Finished sends, by outcome: accepted, rejected (not sent) or unknown (may have been sent)")
                .tag("channel", event.channel())
                .tag("outcome", outcome)
                .tag("error.code", errorCode)
                .register(meters)
                .increment();
        Timer.builder(SEND_DURATION)
                .description("Whole sends, retries and waits included")
                .tag("channel", event.channel())
                .tag("outcome", outcome)
                .register(meters)
                .record(event.elapsed());
        Observation observation = inFlight.remove(event.sendId());
        if (observation != null) {
            observation.lowCardinalityKeyValue("twilio.outcome", outcome)
                    .lowCardinalityKeyValue("error.code", errorCode);
            event.sid().ifPresent(sid -> observation.highCardinalityKeyValue("twilio.message.sid", sid.value()));
            observation.stop();
        }
    }

    /** Counts the verification by kind and result. */
    @Override
    public void webhookVerified(WebhookVerified event) {
        Counter.builder(WEBHOOK_VERIFICATIONS)
                .description("Webhook requests checked, by kind and result")
                .tag("kind", kindTag(event.kind()))
                .tag("result", event.accepted() ? "accepted" : "rejected")
                .register(meters)
                .increment();
    }

    /** Observations of sends that have started and not finished yet (for tests and diagnostics). */
    int inFlight() {
        return inFlight.size();
    }

    /** The {@code error.code} tag: a catalogue code, {@code other} or {@code none}. */
    static String errorCodeTag(OptionalInt code) {
        if (code.isEmpty()) {
            return "none";
        }
        return TwilioErrorCode.of(code.getAsInt()).isPresent() ? Integer.toString(code.getAsInt()) : "other";
    }

    private static String kindTag(String kind) {
        return switch (kind) {
            case "inbound", "status" -> kind;
            default -> "unknown";
        };
    }

    @Override
    public String toString() {
        return "MicrometerTwilioListener[" + meters.getClass().getSimpleName()
                + (observations.isNoop() ? "" : ", observations") + "]";
    }
}
