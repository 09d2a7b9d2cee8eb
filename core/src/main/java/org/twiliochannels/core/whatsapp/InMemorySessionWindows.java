package org.twiliochannels.core.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.twiliochannels.core.WhatsAppAddress;

/** {@link SessionWindows#inMemory(Clock)}: a map per (person, sender); old entries dropped every 10,000 writes. */
final class InMemorySessionWindows implements SessionWindows {
    private static final int SWEEP_EVERY = 10_000;

    private record Key(WhatsAppAddress person, WhatsAppAddress sender) {}

    private record Seen(Instant lastInbound, Instant refused) {}

    private final Clock clock;
    private final ConcurrentHashMap<Key, Seen> seen = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    InMemorySessionWindows(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void inbound(WhatsAppAddress person, WhatsAppAddress sender) {
        Instant now = clock.instant();
        seen.merge(key(person, sender), new Seen(now, null), (old, n) -> new Seen(later(old.lastInbound, now), old.refused));
        sweep(now);
    }

    @Override
    public void refused(WhatsAppAddress person, WhatsAppAddress sender) {
        Instant now = clock.instant();
        seen.merge(key(person, sender), new Seen(null, now), (old, n) -> new Seen(old.lastInbound, later(old.refused, now)));
        sweep(now);
    }

    @Override
    public SessionWindow window(WhatsAppAddress person, WhatsAppAddress sender) {
        Seen s = seen.get(key(person, sender));
        if (s == null) {
            return SessionWindow.unknown();
        }
        return SessionWindow.at(clock.instant(), Optional.ofNullable(s.lastInbound), Optional.ofNullable(s.refused));
    }

    private static Key key(WhatsAppAddress person, WhatsAppAddress sender) {
        return new Key(Objects.requireNonNull(person, "person"), Objects.requireNonNull(sender, "sender"));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** Drops entries older than two windows: such a window is closed, and a send learns that again from WhatsApp. */
    private void sweep(Instant now) {
        if (writes.incrementAndGet() % SWEEP_EVERY != 0) {
            return;
        }
        Instant cutoff = now.minus(LENGTH).minus(LENGTH);
        seen.entrySet().removeIf(e -> old(e.getValue().lastInbound, cutoff) && old(e.getValue().refused, cutoff));
    }

    private static boolean old(Instant t, Instant cutoff) {
        return t == null || t.isBefore(cutoff);
    }

    @Override
    public String toString() {
        return "SessionWindows.inMemory(" + seen.size() + " conversations)";
    }
}
