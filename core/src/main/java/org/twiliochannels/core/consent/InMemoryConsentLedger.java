package org.twiliochannels.core.consent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.twiliochannels.core.Address;

/**
 * {@link ConsentLedger#inMemory()}: every change in a list, the change in force per (scope,
 * recipient) in a map. One lock; reads and writes are short.
 */
final class InMemoryConsentLedger implements ConsentLedger {
    private static final Comparator<ConsentChange> BY_TIME = Comparator.comparing(ConsentChange::at);

    private final Object lock = new Object();
    private final List<ConsentChange> changes = new ArrayList<>();
    private final Map<String, ConsentChange> inForce = new HashMap<>();

    @Override
    public void record(ConsentChange change) {
        Objects.requireNonNull(change, "change");
        String key = key(change.scope(), change.recipient());
        synchronized (lock) {
            changes.add(change);
            inForce.merge(key, change, (old, now) -> now.at().isBefore(old.at()) ? old : now);
        }
    }

    @Override
    public Optional<ConsentChange> status(ConsentScope scope, Address recipient) {
        String key = key(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(recipient, "recipient"));
        synchronized (lock) {
            return Optional.ofNullable(inForce.get(key));
        }
    }

    @Override
    public List<ConsentChange> history(Address recipient) {
        Objects.requireNonNull(recipient, "recipient");
        List<ConsentChange> found = new ArrayList<>();
        synchronized (lock) {
            for (ConsentChange c : changes) {
                if (c.recipient().equals(recipient)) {
                    found.add(c);
                }
            }
        }
        found.sort(BY_TIME);
        return List.copyOf(found);
    }

    @Override
    public List<ConsentChange> current() {
        synchronized (lock) {
            return List.copyOf(new TreeMap<>(inForce).values());
        }
    }

    @Override
    public List<ConsentChange> changes() {
        List<ConsentChange> all;
        synchronized (lock) {
            all = new ArrayList<>(changes);
        }
        all.sort(BY_TIME);
        return List.copyOf(all);
    }

    /** Scope key, a space (no scope key or address has one), the recipient. */
    private static String key(ConsentScope scope, Address recipient) {
        return scope.key() + " " + recipient.value();
    }
}
