package org.twiliochannels.outbox;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.pacing.RateBuckets;
import org.twiliochannels.core.webhook.StatusCallback;

/** A store for part tests without a database: each test overrides what its part calls; anything else fails. */
class FakeStore implements OutboxStore {
    @Override
    public int migrate() {
        throw unexpected();
    }

    @Override
    public ConversationStore conversations() {
        throw unexpected();
    }

    @Override
    public RateBuckets rateBuckets() {
        throw unexpected();
    }

    @Override
    public int enqueue(Connection connection, List<OutboxMessage> batch, Instant now) {
        throw unexpected();
    }

    @Override
    public int enqueue(List<OutboxMessage> batch, Instant now) {
        throw unexpected();
    }

    @Override
    public List<Claim> claim(ClaimRequest request) {
        throw unexpected();
    }

    @Override
    public void release(List<Claim> claims, Instant now) {
        throw unexpected();
    }

    @Override
    public boolean[] recordAttempts(List<Attempt> attempts) {
        throw unexpected();
    }

    @Override
    public boolean[] writeOutcomes(List<Outcome> outcomes, String worker, Instant now) {
        throw unexpected();
    }

    @Override
    public Written writeOutcome(Outcome outcome, String worker, Instant now) {
        throw unexpected();
    }

    @Override
    public Optional<OutboxRecord> find(Lookup by, Object value) {
        throw unexpected();
    }

    @Override
    public Map<OutboxState, Long> counts(String batch) {
        throw unexpected();
    }

    @Override
    public Map<MessageStatus, Long> twilioStatusCounts(String batch) {
        throw unexpected();
    }

    @Override
    public boolean recordStatusCallback(StatusCallback callback, Instant now) {
        throw unexpected();
    }

    @Override
    public int purge(Instant before) {
        throw unexpected();
    }

    @Override
    public void recordConsent(org.twiliochannels.core.consent.ConsentChange change) {
        throw unexpected();
    }

    @Override
    public Optional<org.twiliochannels.core.consent.ConsentChange> consentInForce(
            org.twiliochannels.core.consent.ConsentScope scope, org.twiliochannels.core.Address recipient) {
        throw unexpected();
    }

    @Override
    public List<org.twiliochannels.core.consent.ConsentChange> consentHistory(org.twiliochannels.core.Address recipient) {
        throw unexpected();
    }

    @Override
    public List<org.twiliochannels.core.consent.ConsentChange> consentCurrent() {
        throw unexpected();
    }

    @Override
    public List<org.twiliochannels.core.consent.ConsentChange> consentChanges() {
        throw unexpected();
    }

    @Override
    public Map<ConsentKey, Instant> optedOut(java.util.Collection<ConsentKey> keys) {
        throw unexpected();
    }

    @Override
    public Optional<KeyedChange> cancel(String key, Instant now) {
        throw unexpected();
    }

    @Override
    public Optional<KeyedChange> reschedule(String key, Instant due, Instant now) {
        throw unexpected();
    }

    @Override
    public boolean[] divert(List<Diversion> diversions, String worker, Instant now) {
        throw unexpected();
    }

    @Override
    public boolean[] checkRecent(List<Claim> claims, Instant since, Instant now,
                                 java.util.function.Function<List<Recent>, boolean[]> judge) {
        throw unexpected();
    }

    private static AssertionError unexpected() {
        return new AssertionError("this part must not call " + StackWalker.getInstance().walk(s -> s.skip(1)
                .findFirst().map(StackWalker.StackFrame::getMethodName).orElse("?")));
    }
}
