package org.twiliochannels.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AccountUnavailableException;
import org.twiliochannels.core.Channels;
import org.twiliochannels.core.ClientClosedException;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.Settlement;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.core.pacing.Pace;
import org.twiliochannels.core.pacing.Pacer;
import org.twiliochannels.core.schedule.QuietHoursException;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.Sender;

/**
 * Sending one claimed message, on a sender thread of the worker:
 * <ol>
 *   <li>if a previous worker had started sending it and died, settles it from Twilio's message log
 *       first ({@link TwilioAccount#settle}): found, it is accepted with that SID; unknown, it ends
 *       as {@link OutboxState#UNKNOWN}; absent, it goes on;</li>
 *   <li>waits for its paced time (taking fresh tokens if this thread runs late: every thread late at
 *       the same moment in one reservation);</li>
 *   <li>records the attempt, only while it still holds the lease, and only then sends (with group
 *       commit: attempts of other sender threads waiting at the same moment go in the same
 *       statement, {@link AttemptRecorder}); while the database cannot be reached it sends nothing,
 *       pauses and tries again at a fresh paced time ({@link DatabaseGate});</li>
 *   <li>sends it through the account's channel and maps the answer to an {@link Outcome}.</li>
 * </ol>
 * Writes nothing but the attempt: the outcome is returned for the {@link OutcomeWriter}.
 */
final class SendClaimed {
    /** How late a message may start after its paced time before it takes fresh tokens (a stalled JVM must not burst). */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** The most late messages given fresh times in one reservation. */
    private static final int MAX_LATE_GROUP = 1000;

    private final AttemptRecorder attempts;
    private final DatabaseGate gate;
    private final WorkerAccounts accounts;
    private final AccountPacers pacer;
    private final int maxAttempts;
    private final String worker;
    private final Duration lease;
    private final Clock clock;
    private final BooleanSupplier running;
    /** Per account and channel: the policy and the configuration it was made from (a refresh may change it). */
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private final GroupedCalls<Pace, Long> lateTimes;

    private record Policy(TwilioConfig config, ChannelPolicy policy) {}

    SendClaimed(OutboxStore store, DatabaseGate gate, TwilioAccount account, Pacer pacer, int maxAttempts,
                String worker, Duration lease, Clock clock, BooleanSupplier running) {
        this(store, gate, new WorkerAccounts.One(account), AccountPacers.single(pacer), maxAttempts, worker, lease,
                clock, running);
    }

    SendClaimed(OutboxStore store, DatabaseGate gate, WorkerAccounts accounts, AccountPacers pacer, int maxAttempts,
                String worker, Duration lease, Clock clock, BooleanSupplier running) {
        this.attempts = new AttemptRecorder(store);
        this.gate = gate;
        this.accounts = accounts;
        this.pacer = pacer;
        this.maxAttempts = maxAttempts;
        this.worker = worker;
        this.lease = lease;
        this.clock = clock;
        this.running = running;
        // every thread late at the same moment takes its fresh time in one reservation (one
        // transaction per bucket on PostgreSQL), not one each
        this.lateTimes = new GroupedCalls<>(paces -> {
            long[] at = gate.call(() -> pacer.reserve(paces), running);
            return Arrays.stream(at).boxed().toList();
        }, Duration.ZERO, MAX_LATE_GROUP);
    }

    /** Which bucket paces a message, at what rate: its sender's, in its account. */
    Pace pace(Claim c) {
        AccountSid sid = accounts.sidOf(c);
        try {
            return pacer.pace(sid, policy(accounts.accountOf(c), c.channel()).sender(c.message()), c.segments());
        } catch (RuntimeException e) {
            return pacer.unknownSender(sid, c.channel(), c.segments()); // sent nowhere yet: the send reports it
        }
    }

    /** Settles, waits for {@code plannedNanos} ({@link System#nanoTime()} scale), records the attempt, sends. */
    Outcome send(Claim c, long plannedNanos, Pace pace) {
        TwilioAccount account;
        try {
            account = accounts.accountOf(c);
        } catch (AccountUnavailableException e) {
            return unavailable(c, e.getMessage());
        }
        Duration needed = account.config().sendDeadline().plusSeconds(1);
        if (lease.compareTo(needed) < 0) { // many accounts: each one's deadline is known only now
            return unavailable(c, "account " + accounts.sidOf(c) + ": the outbox's lease " + lease.toMillis()
                    + " ms must be at least its send deadline plus 1 s (" + needed.toMillis() + " ms); not sent. Raise"
                    + " Outbox.Builder.lease or lower this account's TwilioConfig.Builder.sendDeadline.");
        }
        boolean settledAbsent = false;
        if (c.wasSending()) {
            Optional<Outcome> settled = settle(c, account);
            if (settled.isPresent()) {
                return settled.get();
            }
            settledAbsent = true;
        }
        int attempt = c.attempts() + 1;
        Optional<Outcome> notSent;
        try {
            notSent = recordAttempt(c, attempt, settledAbsent, plannedNanos, pace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Released(c);
        } catch (RuntimeException e) {
            if (!running.getAsBoolean() && DatabaseGate.isUnreachable(e)) {
                return new Outcome.Released(c); // stopping while the database is away: never sent, given back
            }
            throw e;
        }
        if (notSent.isPresent()) {
            return notSent.get();
        }
        try {
            Receipt r = account.channel(c.channel()).send(c.message());
            return Outcome.accepted(c, EventKind.ACCEPTED, attempt, r.sid().value(), r.status(), OptionalInt.empty(),
                    Optional.empty(), r.status().twilioName() + " after " + r.attempts() + " request(s)"
                            + (r.settled() ? ", settled from Twilio's message log" : ""));
        } catch (RecipientOptedOutException e) { // the account's own ledger refused it before any request
            return new Outcome.Finished(c, OutboxState.OPTED_OUT, EventKind.OPTED_OUT, attempt, Optional.empty(),
                    Optional.empty(), OptionalInt.empty(), Optional.of(e.getMessage()), e.getMessage());
        } catch (QuietHoursException e) { // the account's own quiet hours: due again when the window opens
            return new Outcome.Retry(c, attempt, Duration.between(clock.instant(), e.opensAt()).isNegative()
                    ? Duration.ZERO : Duration.between(clock.instant(), e.opensAt()), OptionalInt.empty(), e.getMessage());
        } catch (DeliveryUnknownException e) {
            OptionalInt code = e.error().map(err -> err.code()).orElse(OptionalInt.empty());
            return Outcome.unknown(c, EventKind.UNKNOWN, attempt, code, e.getMessage(), e.getMessage());
        } catch (TwilioRejectedException e) {
            TwilioErrorCode.Kind kind = e.error().kind();
            if (kind == TwilioErrorCode.Kind.TRANSIENT || kind == TwilioErrorCode.Kind.FATAL) {
                return retry(c, attempt, e.error().code(), e.getMessage(), false);
            }
            return Outcome.rejected(c, attempt, e.error().code(), e.getMessage(), e.getMessage());
        } catch (InvalidMessageException e) {
            return Outcome.rejected(c, attempt, OptionalInt.empty(), e.getMessage(), e.getMessage());
        } catch (ClientClosedException e) {
            return retry(c, attempt, OptionalInt.empty(), e.getMessage(), true);
        } catch (TwilioChannelsException e) {
            if (e.mayHaveBeenSent()) {
                return Outcome.unknown(c, EventKind.UNKNOWN, attempt, OptionalInt.empty(), e.getMessage(), e.getMessage());
            }
            return retry(c, attempt, OptionalInt.empty(), e.getMessage(), false);
        } catch (RuntimeException e) {
            return retry(c, attempt, OptionalInt.empty(), e.toString(), false);
        }
    }

    /**
     * Waits for the paced time and records the attempt. While the database cannot be reached the
     * message is not sent: this thread pauses ({@link DatabaseGate}), takes a fresh time from the
     * pacer once it is back (the one it had is long past, and every thread waiting would go at
     * once) and tries again; the lease keeps the row this worker's meanwhile, and a write that
     * finds the token gone is a lost lease.
     *
     * @return empty when recorded (send it); else why it is not sent: released (the worker stopped
     *         first) or the lease lost
     */
    private Optional<Outcome> recordAttempt(Claim c, int attempt, boolean settledAbsent, long plannedNanos,
                                            Pace pace) throws InterruptedException {
        long sendAt = plannedNanos;
        for (int failures = 1; ; failures++) {
            if (!waitUntil(sendAt, pace)) {
                return Optional.of(new Outcome.Released(c));
            }
            Instant now = clock.instant();
            boolean recorded;
            try {
                recorded = attempts.record(new OutboxStore.Attempt(c, attempt, settledAbsent, worker, now,
                        now.plus(lease)));
            } catch (RuntimeException e) {
                if (!gate.pause(e, failures, running)) {
                    throw e;
                }
                sendAt = repace(pace);
                continue;
            }
            gate.reachable();
            return recorded ? Optional.empty() : Optional.of(new Outcome.LeaseLost(c));
        }
    }

    /** Waits for the paced time; false when the worker stopped meanwhile. */
    private boolean waitUntil(long plannedNanos, Pace pace) {
        long sendAt = plannedNanos;
        for (int late = 0; running.getAsBoolean(); ) {
            long left = sendAt - System.nanoTime();
            if (left <= 0) {
                if (-left <= LATE_NANOS || late++ >= 3) {
                    return true;
                }
                // this thread ran late (a busy machine): the tokens it had are spent, take fresh ones
                sendAt = repace(pace);
                continue;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        return false;
    }

    private long repace(Pace pace) {
        try {
            return lateTimes.submit(pace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.nanoTime();
        }
    }

    /**
     * Not sent because its account cannot be used now (the resolver failed or knows no such account):
     * queued again with the backoff of a failed attempt, and rejected with the reason once the
     * attempts run out. A message a dead worker may have sent cannot be settled without its
     * account: it ends {@link OutboxState#UNKNOWN} with the reason, as when settling fails.
     */
    private Outcome unavailable(Claim c, String reason) {
        if (c.wasSending()) {
            String why = "the previous worker's attempt cannot be settled: " + reason;
            return Outcome.unknown(c, EventKind.SETTLED_UNKNOWN, c.attempts(), OptionalInt.empty(), why, why);
        }
        return retry(c, c.attempts() + 1, OptionalInt.empty(), reason, false);
    }

    /** Not sent: queued again with an exponential backoff, or rejected once the attempts ran out. */
    private Outcome retry(Claim c, int attempt, OptionalInt code, String error, boolean now) {
        if (attempt >= maxAttempts && !now) {
            return Outcome.rejected(c, attempt, code, error, "gave up after " + attempt + " attempts: " + error);
        }
        Duration backoff = Duration.ofSeconds(1L << Math.min(attempt - 1, 20));
        return new Outcome.Retry(c, attempt, now ? Duration.ZERO : backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                : backoff, code, error);
    }

    /**
     * Settles a message whose previous worker died while sending it.
     *
     * @return the outcome when Twilio's log settled it (found, or unknown); empty when absent (send it)
     */
    private Optional<Outcome> settle(Claim c, TwilioAccount account) {
        Instant notBefore = c.firstAttemptAt().orElseGet(clock::instant);
        Instant notAfter = c.leaseExpiredAt().filter(t -> t.isAfter(notBefore)).orElse(notBefore);
        Settlement s;
        try {
            ChannelPolicy policy = policy(account, c.channel());
            s = account.settle(SettleQuery.of(c.message(), policy.recipient(c.message()),
                    policy.sender(c.message()).address(), notBefore, notAfter));
        } catch (RuntimeException e) {
            s = new Settlement.Unknown("the settle step failed: " + e.getMessage(), List.of());
        }
        if (s instanceof Settlement.Found f) {
            MessageState st = f.state();
            return Optional.of(Outcome.accepted(c, EventKind.SETTLED_FOUND, c.attempts(), st.sid().value(), st.status(),
                    st.errorCode(), st.errorMessage(), "found in Twilio's message log after the previous worker's"
                            + " lease expired, status " + st.status().twilioName()));
        }
        if (s instanceof Settlement.Unknown u) {
            return Optional.of(Outcome.unknown(c, EventKind.SETTLED_UNKNOWN, c.attempts(), OptionalInt.empty(),
                    u.reason(), u.reason() + (u.candidates().isEmpty() ? "" : "; candidates " + u.candidates())));
        }
        return Optional.empty();
    }

    /**
     * The (scope, recipient) of a claim's consent, as Twilio scopes an opt-out: the Messaging
     * Service that sends it, else its sender; empty when the channel cannot tell (the send reports why).
     */
    Optional<OutboxStore.ConsentKey> consentKey(Claim c) {
        try {
            TwilioAccount account = accounts.accountOf(c);
            ChannelPolicy policy = policy(account, c.channel());
            Sender from = policy.sender(c.message());
            AccountSid sid = account.config().credentials().accountSid();
            ConsentScope scope = from.messagingService().map(ms -> ConsentScope.service(sid, c.channel(), ms))
                    .orElseGet(() -> ConsentScope.sender(sid, c.channel(), from.address().orElseThrow()));
            return Optional.of(new OutboxStore.ConsentKey(scope.key(), policy.recipient(c.message()).value()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private ChannelPolicy policy(TwilioAccount account, String channel) {
        TwilioConfig config = account.config();
        String key = config.credentials().accountSid().value() + "/" + channel;
        Policy p = policies.get(key);
        if (p == null || p.config() != config) {
            p = new Policy(config, Channels.provider(channel, TwilioAccount.class.getClassLoader()).policy(config));
            policies.put(key, p);
        }
        return p.policy();
    }
}
