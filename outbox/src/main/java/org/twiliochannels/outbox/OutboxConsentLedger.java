package org.twiliochannels.outbox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;

/**
 * {@link Outbox#consentLedger()}: the ledger in the outbox's database, shared by every instance on
 * it, and the one a worker checks at each claim. Times are kept to the millisecond.
 */
final class OutboxConsentLedger implements ConsentLedger {
    private final OutboxStore store;

    OutboxConsentLedger(OutboxStore store) {
        this.store = store;
    }

    @Override
    public void record(ConsentChange change) {
        store.recordConsent(Objects.requireNonNull(change, "change"));
    }

    @Override
    public Optional<ConsentChange> status(ConsentScope scope, Address recipient) {
        return store.consentInForce(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(recipient, "recipient"));
    }

    @Override
    public List<ConsentChange> history(Address recipient) {
        return store.consentHistory(Objects.requireNonNull(recipient, "recipient"));
    }

    @Override
    public List<ConsentChange> current() {
        return store.consentCurrent();
    }

    @Override
    public List<ConsentChange> changes() {
        return store.consentChanges();
    }

    @Override
    public String toString() {
        return "OutboxConsentLedger[" + store + "]";
    }
}
