package org.twiliochannels.core.whatsapp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether WhatsApp's customer-service window with one person, on one of your senders, is open:
 * free-form messages are allowed until 24 hours after the person last wrote.
 *
 * @param status      open, closed, or unknown (the person's last message was not seen here)
 * @param lastInbound when the person last wrote to the sender, as far as is known
 * @param until       when the window closes (open), or closed (closed with a known last message)
 */
public record SessionWindow(Status status, Optional<Instant> lastInbound, Optional<Instant> until) {

    /** What is known of a window. */
    public enum Status {
        /** The person wrote less than 24 hours ago: free-form messages are allowed. */
        OPEN,
        /**
         * The person's last message is more than 24 hours old, or WhatsApp refused a free-form
         * message (63016) since it: only templates are allowed.
         */
        CLOSED,
        /** Nothing seen here: a send tries free-form, and learns from WhatsApp's answer. */
        UNKNOWN
    }

    /** Validates. */
    public SessionWindow {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastInbound, "lastInbound");
        Objects.requireNonNull(until, "until");
    }

    /** Nothing known. */
    public static SessionWindow unknown() {
        return new SessionWindow(Status.UNKNOWN, Optional.empty(), Optional.empty());
    }

    /**
     * The window at {@code now} from what was seen: the person's last message ({@code lastInbound})
     * and the last time WhatsApp refused a free-form message as outside the window
     * ({@code closedSeen}); a refusal after the last message closes the window until the person
     * writes again.
     */
    public static SessionWindow at(Instant now, Optional<Instant> lastInbound, Optional<Instant> closedSeen) {
        Objects.requireNonNull(now, "now");
        if (lastInbound.isPresent()) {
            Instant end = lastInbound.get().plus(SessionWindows.LENGTH);
            boolean refusedSince = closedSeen.filter(c -> !c.isBefore(lastInbound.get())).isPresent();
            if (refusedSince) {
                return new SessionWindow(Status.CLOSED, lastInbound, Optional.of(closedSeen.get()));
            }
            return now.isBefore(end) ? new SessionWindow(Status.OPEN, lastInbound, Optional.of(end))
                    : new SessionWindow(Status.CLOSED, lastInbound, Optional.of(end));
        }
        return closedSeen.isPresent() ? new SessionWindow(Status.CLOSED, Optional.empty(), closedSeen) : unknown();
    }

    /** True when free-form messages are allowed now. */
    public boolean isOpen() {
        return status == Status.OPEN;
    }

    /** True when only templates are allowed now. */
    public boolean isClosed() {
        return status == Status.CLOSED;
    }
}
