package org.twiliochannels.core.consent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.twiliochannels.core.Address;

/**
 * {@link ConsentLedger#inMemory()}: every change in a list, the change in force per scope and
 * recipient in concurrent maps. Writes take one lock; the check a send makes is two hash look-ups
 * with no lock and no allocation.
 */
final class InMemoryConsentLedger implements ConsentLedger {
    private static final Comparator<ConsentChange> BY_TIME = Comparator.comparing(ConsentChange::at);

    private final Object lock = new Object();
    private final List<ConsentChange> changes = new ArrayList<>();
    private final Map<ConsentScope, Map<Address, ConsentChange>> inForce = new ConcurrentHashMap<>();

    @Override
    public void record(ConsentChange change) {
        Objects.requireNonNull(change, "change");
        synchronized (lock) {
            changes.add(change);
            inForce.computeIfAbsent(change.scope(), s -> new ConcurrentHashMap<>())
                    .merge(change.recipient(), change, (old, now) -> now.at().isBefore(old.at()) ? old : now);
        }
    }

    @Override
    public Optional<ConsentChange> status(ConsentScope scope, Address recipient) {
        return Optional.ofNullable(inForce(Objects.requireNonNull(scope, "scope"),
                Objects.requireNonNull(recipient, "recipient")));
    }

    @Override
    public boolean isOptedOut(ConsentScope scope, Address recipient) {
        ConsentChange c = inForce(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(recipient, "recipient"));
        return c != null && c.state() == ConsentState.OPTED_OUT;
    }

    @Override
    public void requireConsent(ConsentScope scope, Address recipient) {
        ConsentChange c = inForce(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(recipient, "recipient"));
        if (c != null && c.state() == ConsentState.OPTED_OUT) {
            throw new RecipientOptedOutException(c);
        }
    }

    private ConsentChange inForce(ConsentScope scope, Address recipient) {
        Map<Address, ConsentChange> byRecipient = inForce.get(scope);
        return byRecipient == null ? null : byRecipient.get(recipient);
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
        Map<String, ConsentChange> sorted = new TreeMap<>();
        synchronized (lock) {
            inForce.forEach((scope, byRecipient) -> byRecipient.values().forEach(c -> sorted.put(key(c), c)));
        }
        return List.copyOf(sorted.values());
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

    /** Scope key, a space (no scope key or address has one), the recipient: the order of {@link #current()}. */
    private static String key(ConsentChange c) {
        return c.scope().key() + " " + c.recipient().value();
    }
}
