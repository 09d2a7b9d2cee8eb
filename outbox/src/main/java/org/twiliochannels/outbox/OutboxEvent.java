package org.twiliochannels.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of a message's history: when, what ({@code enqueued}, {@code attempt},
 * {@code accepted}, {@code rejected}, {@code retry}, {@code unknown}, {@code settled-found},
 * {@code settled-absent}, {@code settled-unknown}, {@code status}, {@code opted-out}, {@code held},
 * {@code duplicate}, {@code canceled}, {@code rescheduled}), which worker and attempt, and a
 * detail (a Twilio status, an error; never a body or a full number).
 *
 * @param at      when it happened (the clock of the instance that recorded it)
 * @param kind    what happened
 * @param worker  the worker that did it, when a worker did
 * @param attempt the attempt it belongs to, when it belongs to one
 * @param detail  more about it, when there is more
 */
public record OutboxEvent(Instant at, String kind, Optional<String> worker, OptionalInt attempt,
                          Optional<String> detail) {
    /** Checks the components. */
    public OutboxEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return at + " " + kind + worker.map(w -> " by " + w).orElse("")
                + (attempt.isPresent() ? " attempt " + attempt.getAsInt() : "") + detail.map(d -> ": " + d).orElse("");
    }
}
