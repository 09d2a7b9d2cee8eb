package org.twiliochannels.testing;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which fault the next request gets. For message creates: a fault set for the recipient first, then
 * the queue of next faults, then the random fraction. For message-list reads: a fault set for the
 * {@code To} the list is filtered by, then the queue of next list faults. Thread-safe.
 */
final class FaultPlan {
    private final Deque<Fault> nextCreates = new ArrayDeque<>();
    private final Map<String, Fault> createsTo = new ConcurrentHashMap<>();
    private final Deque<Fault> nextLists = new ArrayDeque<>();
    private final Map<String, Fault> listsTo = new ConcurrentHashMap<>();
    private Fraction fraction;

    private record Fraction(double share, Random random, List<Fault> faults) {}

    void nextCreates(Fault... faults) {
        List<Fault> list = List.of(faults);
        synchronized (this) {
            nextCreates.addAll(list);
        }
    }

    void createsTo(String to, Fault fault) {
        createsTo.put(to, Objects.requireNonNull(fault, "fault"));
    }

    void fraction(double share, long seed, Fault... faults) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("fraction must be from 0 to 1, was " + share);
        }
        if (faults.length == 0 && share > 0) {
            throw new IllegalArgumentException("failFraction needs at least one fault to play");
        }
        Fraction f = new Fraction(share, new Random(seed), List.of(faults));
        synchronized (this) {
            fraction = f;
        }
    }

    void nextLists(Fault... faults) {
        List<Fault> list = List.of(faults);
        list.forEach(FaultPlan::checkRead);
        synchronized (this) {
            nextLists.addAll(list);
        }
    }

    void listsTo(String to, Fault fault) {
        checkRead(Objects.requireNonNull(fault, "fault"));
        listsTo.put(to, fault);
    }

    private static void checkRead(Fault fault) {
        if (!fault.suitsReads()) {
            throw new IllegalArgumentException(fault + " creates a message, and a message list creates nothing;"
                    + " use " + (fault.kind == Fault.Kind.DISCONNECT_AFTER_CREATE ? "Fault.disconnectAfterRequest()"
                    : "Fault.serverError(" + fault.status + ")") + " for a read. Valid: "
                    + Arrays.stream(Fault.Kind.values()).filter(k -> !k.name().endsWith("_AFTER_CREATE")).toList());
        }
    }

    synchronized void clear() {
        nextCreates.clear();
        createsTo.clear();
        nextLists.clear();
        listsTo.clear();
        fraction = null;
    }

    /** The fault for a message create to {@code to}, if any. */
    Optional<Fault> forCreate(String to) {
        Fault f = createsTo.get(to);
        if (f != null) {
            return Optional.of(f);
        }
        synchronized (this) {
            if (!nextCreates.isEmpty()) {
                return Optional.of(nextCreates.poll());
            }
            if (fraction != null && fraction.random.nextDouble() < fraction.share) {
                return Optional.of(fraction.faults.get(fraction.random.nextInt(fraction.faults.size())));
            }
        }
        return Optional.empty();
    }

    /** The fault for a message-list read filtered by {@code to} (empty: unfiltered), if any. */
    Optional<Fault> forList(Optional<String> to) {
        Optional<Fault> f = to.map(listsTo::get);
        if (f.isPresent()) {
            return f;
        }
        synchronized (this) {
            return Optional.ofNullable(nextLists.poll());
        }
    }
}
