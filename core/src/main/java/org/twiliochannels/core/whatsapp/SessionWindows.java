package org.twiliochannels.core.whatsapp;

import java.time.Clock;
import java.time.Duration;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * When each person last wrote to each of your WhatsApp senders, and so whether the 24-hour
 * customer-service window is open before a send. The {@link org.twiliochannels.core.inbound.InboundRouter}
 * records every WhatsApp message it routes ({@link #inbound}); a {@link org.twiliochannels.core.TwilioAccount}
 * built with {@code sessionWindows(…)} asks {@link #window} before each WhatsApp send: inside the
 * window the free-form text goes out, outside it the message's fallback template goes out at once
 * (no refused request), and unknown tries free-form and, on WhatsApp's 63016, records the refusal
 * ({@link #refused}) and sends the template.
 *
 * <p>{@link #inMemory(Clock)} serves one instance; the outbox module's conversation store keeps the
 * times in the database for many. Implementations are thread-safe and fast (called on every
 * WhatsApp send and every inbound WhatsApp message) and must not throw for a look-up that fails:
 * they answer {@link SessionWindow#unknown()} instead.
 */
public interface SessionWindows {
    /** How long the window stays open after the person's last message: 24 hours. */
    Duration LENGTH = Duration.ofHours(24);

    /** Records that {@code person} wrote to {@code sender} now. */
    void inbound(WhatsAppAddress person, WhatsAppAddress sender);

    /** Records that WhatsApp refused a free-form message from {@code sender} to {@code person} now (63016). */
    void refused(WhatsAppAddress person, WhatsAppAddress sender);

    /** The window between {@code person} and {@code sender} now. */
    SessionWindow window(WhatsAppAddress person, WhatsAppAddress sender);

    /** Knows nothing and records nothing: every window is unknown (sends try free-form, as without a tracker). */
    static SessionWindows none() {
        return NoSessionWindows.INSTANCE;
    }

    /**
     * Windows kept in this process, on {@code clock}: for one instance, or tests. Entries older
     * than the window are dropped as new ones are recorded.
     */
    static SessionWindows inMemory(Clock clock) {
        return new InMemorySessionWindows(clock);
    }
}
