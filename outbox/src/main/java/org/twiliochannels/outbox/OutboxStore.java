package org.twiliochannels.outbox;

import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.pacing.RateBuckets;
import org.twiliochannels.core.webhook.StatusCallback;

/**
 * Every statement the outbox runs on its database, grouped by what it touches; the other parts of
 * the outbox contain no SQL. {@link JdbcOutboxStore} implements it with a {@link Dialect} per
 * database. Each method is one transaction (or one statement atomic on its own) unless it takes the
 * caller's connection. Writes after a claim hold only where the row still has the claim's token.
 *
 * <p>The batch methods ({@link #claim}, {@link #recordAttempts}, {@link #writeOutcomes}) take or
 * return a whole batch, so that a caller can trade statements and commits for latency without the
 * store changing; later tables (consent, quiet hours, schedules, conversations, accounts) add a
 * group of their own.
 */
interface OutboxStore {

    // ---- the schema and the database

    /** Creates or upgrades the tables; returns how many schema versions were applied. */
    int migrate();

    /** The pacing buckets of instances on this database (shared on PostgreSQL, this process's on H2). */
    RateBuckets rateBuckets();

    // ---- messages: added in the caller's transaction

    /**
     * Adds messages in {@code connection}'s transaction (never committed, rolled back or closed
     * here), skipping those whose key is already there; returns how many were added.
     */
    int enqueue(Connection connection, List<OutboxMessage> batch, Instant now);

    /** Adds messages in a transaction of the store's own, as {@link #enqueue(Connection, List, Instant)}. */
    int enqueue(List<OutboxMessage> batch, Instant now);

    // ---- messages: claims and leases

    /**
     * What one claim asks for.
     *
     * @param worker   the claiming worker's id
     * @param token    the new lease token, recorded on every row claimed
     * @param limit    the most rows
     * @param now      the time: rows due by then, and rows whose lease expired by then
     * @param leaseEnd when the new lease expires
     * @param accounts  which rows: of one account (and rows naming none), or of every account named,
     *                  round-robin; {@link AccountScope#ANY} for any row
     */
    record ClaimRequest(String worker, String token, int limit, Instant now, Instant leaseEnd,
                        AccountScope accounts) {
        /** A claim of any row. */
        ClaimRequest(String worker, String token, int limit, Instant now, Instant leaseEnd) {
            this(worker, token, limit, now, leaseEnd, AccountScope.ANY);
        }
    }

    /**
     * Which accounts' rows a claim takes.
     *
     * @param only     a single-account worker's account: its rows and rows naming no account
     * @param fair     a worker for many accounts: rows naming an account, round-robin per account
     *                 (each account's oldest due first, then each one's second …), so that one
     *                 account's backlog never delays another's messages by more than one claim
     */
    record AccountScope(Optional<AccountSid> only, boolean fair) {
        /** Any row, oldest due first. */
        static final AccountScope ANY = new AccountScope(Optional.empty(), false);
        /** Rows naming an account, round-robin per account. */
        static final AccountScope FAIR = new AccountScope(Optional.empty(), true);

        public AccountScope {
            if (fair && only.isPresent()) {
                throw new IllegalArgumentException("a fair claim takes every account's rows, not only " + only.get());
            }
        }

        /** A single-account worker's rows: {@code account}'s and those naming none. */
        static AccountScope of(AccountSid account) {
            return new AccountScope(Optional.of(account), false);
        }
    }

    /**
     * Claims up to {@code request.limit()} rows in one transaction: queued rows due by now, and
     * claimed or sending rows whose lease expired, oldest due first, skipping rows other workers
     * hold locked ({@code FOR UPDATE SKIP LOCKED}), of the accounts {@code request.accounts()} names
     * (a fair claim: round-robin per account). Rows that cannot be read are skipped.
     */
    List<Claim> claim(ClaimRequest request);

    /**
     * Gives back claims whose attempt never started: a claimed row is queued again; a sending row
     * (a dead worker's, not settled yet) keeps its state with its lease expired now, to be settled
     * by the next claim.
     */
    void release(List<Claim> claims, Instant now);

    // ---- messages and events: attempts

    /**
     * An attempt about to be sent.
     *
     * @param claim         the claim
     * @param number        the attempt's number (the claim's attempts plus one)
     * @param settledAbsent true when a dead worker's attempt was just found absent from Twilio's log
     * @param worker        the worker's id
     * @param at            when it is recorded
     * @param leaseEnd      the renewed lease's expiry
     */
    record Attempt(Claim claim, int number, boolean settledAbsent, String worker, Instant at, Instant leaseEnd) {}

    /**
     * Records attempts (state sending, attempts, first and last attempt time, lease renewed, the
     * history entry), each only where the claim's token is still on the row, and commits them
     * before returning: the attempt is on disk before its request.
     *
     * @return for each attempt, whether it was recorded
     */
    boolean[] recordAttempts(List<Attempt> attempts);

    // ---- messages and events: outcomes

    /**
     * Records outcomes ({@link Outcome.Finished} and {@link Outcome.Retry}) in one transaction, each
     * only where the claim's token is still on the row, with their history entries; status
     * callbacks that arrived for a SID before it was recorded are attached and the furthest status
     * applied.
     *
     * @return for each outcome, whether it was recorded (false: the lease was lost)
     * @throws OutboxException when the transaction failed (then none is recorded)
     */
    boolean[] writeOutcomes(List<Outcome> outcomes, String worker, Instant now);

    /** What became of one outcome written alone. */
    enum Written {
        /** Recorded. */
        RECORDED,
        /** Not recorded: another worker holds the row. */
        LEASE_LOST,
        /** Not recorded: its SID is already recorded for another row. */
        SID_TAKEN
    }

    /** Records one outcome in a transaction of its own, as {@link #writeOutcomes}. */
    Written writeOutcome(Outcome outcome, String worker, Instant now);

    // ---- the ledger

    /** What finds one message. */
    enum Lookup {
        /** By the caller's key. */
        KEY,
        /** By Twilio's SID. */
        SID,
        /** By the row's id. */
        ID
    }

    /** The message found by {@code value}, with its history. */
    Optional<OutboxRecord> find(Lookup by, Object value);

    /** How many messages (of {@code batch}, or all when null) are in each state, every state present. */
    Map<OutboxState, Long> counts(String batch);

    /** How many accepted messages (of {@code batch}, or all when null) have each Twilio status. */
    Map<MessageStatus, Long> twilioStatusCounts(String batch);

    /** Records a status callback once (deduplicated), moving the row's Twilio status forward only. */
    boolean recordStatusCallback(StatusCallback callback, Instant now);

    // ---- conversations

    /** The conversation tables' statements: state, questions, inbound SIDs, WhatsApp windows. */
    ConversationStore conversations();

    // ---- retention

    /** Deletes finished messages not changed since {@code before}, their history, and as old unmatched callbacks. */
    int purge(Instant before);

    // ---- consent: consent_change (every change) and consent_current (the change in force), ConsentSql

    /** Keeps a change and, when it is the latest for its (scope, recipient), makes it the one in force; one transaction. */
    void recordConsent(ConsentChange change);

    /** The change in force for {@code recipient} in {@code scope}. */
    Optional<ConsentChange> consentInForce(ConsentScope scope, Address recipient);

    /** Every change of {@code recipient}, in every scope, oldest first. */
    List<ConsentChange> consentHistory(Address recipient);

    /** The change in force of every (scope, recipient), by scope key, then recipient. */
    List<ConsentChange> consentCurrent();

    /** Every change, oldest first. */
    List<ConsentChange> consentChanges();

    /**
     * A (scope, recipient) pair a claim asks about.
     *
     * @param scope     the scope's key ({@link ConsentScope#key()})
     * @param recipient the recipient as Twilio writes it
     */
    record ConsentKey(String scope, String recipient) {}

    /** Of {@code keys}, those whose change in force is an opt-out, with when it took effect: one query. */
    Map<ConsentKey, Instant> optedOut(Collection<ConsentKey> keys);

    // ---- messages by key, and the claim's checks: ScheduleSql

    /**
     * Ends the message with {@code key} when it is queued or claimed (its attempt not recorded yet), in
     * one transaction that locks its row: a claim or an attempt that holds the row first wins, and
     * then nothing changes.
     *
     * @return what it found and whether it was canceled; empty when no message has the key
     */
    Optional<KeyedChange> cancel(String key, Instant now);

    /** Moves the message with {@code key} to {@code due}, as {@link #cancel} decides (queued or claimed only). */
    Optional<KeyedChange> reschedule(String key, Instant due, Instant now);

    /**
     * A claimed message the checks take from the worker: held (queued again, due later) or ended
     * without a request.
     *
     * @param claim  the claim
     * @param state  {@link OutboxState#QUEUED} to hold it, or the outcome it ends in
     * @param due    when it is due again, when held
     * @param kind   the history entry's kind
     * @param detail the history entry's detail (and the row's error, when it ends)
     */
    record Diversion(Claim claim, OutboxState state, Instant due, EventKind kind, String detail) {}

    /** Writes diversions with their history entries, each only where the claim's token is on the row; one transaction. */
    boolean[] divert(List<Diversion> diversions, String worker, Instant now);

    /**
     * A message that passed the frequency-cap and duplicate checks within the period looked at.
     *
     * @param id          the row's id
     * @param recipient   its recipient
     * @param category    its category
     * @param fingerprint its content's fingerprint, when recorded
     * @param checkedAt   when it passed
     */
    record Recent(long id, String recipient, MessageCategory category, String fingerprint, Instant checkedAt) {}

    /**
     * In one transaction: locks the claims' recipients (in order, one lock row each, so that
     * instances checking the same recipient take turns), reads the other messages to them that passed
     * since {@code since}, asks {@code judge} which claims pass, and records {@code now} as the pass
     * time of those, where the claim's token is still on the row.
     *
     * @return what {@code judge} answered, one entry per claim
     */
    boolean[] checkRecent(List<Claim> claims, Instant since, Instant now, Function<List<Recent>, boolean[]> judge);
}
