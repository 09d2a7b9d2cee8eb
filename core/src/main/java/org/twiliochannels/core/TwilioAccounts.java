package org.twiliochannels.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.twiliochannels.core.event.TwilioEventListener;

/**
 * The accounts of a platform that sends for its customers, each on its own Twilio (sub)account:
 * opened on first use by Account SID from the application's {@link AccountResolver}, kept, and
 * closed again when idle. All of them share one {@link TwilioInfrastructure}, so a thousand
 * accounts cost a thousand small states, not a thousand connection pools and threads.
 *
 * <ul>
 *   <li><b>Lazily, cached.</b> {@link #account} and {@link #send} ask the resolver the first time
 *       an account is used, then reuse the account opened.</li>
 *   <li><b>Idle accounts close.</b> An account not used for {@link Builder#idleAfter} (by the
 *       builder's clock) is closed by {@link #closeIdle()}, which also runs by itself at most once a
 *       minute as accounts are used; the next use opens it again. An account with a send in
 *       progress through {@link #send} is never idle.</li>
 *   <li><b>Rotation without restart.</b> {@link #refresh} asks the resolver again and puts an
 *       account on the new credentials in place; sends already in flight finish on the old
 *       account with the old credentials, then it is closed.</li>
 *   <li><b>Failures stay with their account.</b> A resolver (or customizer) that throws, knows no such account, or
 *       answers with another account's configuration makes that account's sends fail as not sent
 *       with {@link AccountUnavailableException}; other accounts go on, and the next use asks the
 *       resolver again (failures are not cached).</li>
 * </ul>
 *
 * <p><b>Consent, quiet hours, WhatsApp windows.</b> A {@link TwilioConfig} carries none of them:
 * give them to every account with {@link Builder#customize}. One {@link
 * org.twiliochannels.core.consent.ConsentLedger} serves all accounts, since its scopes name the
 * account.
 *
 * <p>Closing this closes the accounts it opened, not the infrastructure. Thread-safe.
 *
 * <pre>{@code
 * TwilioInfrastructure shared = TwilioInfrastructure.open();
 * TwilioAccounts tenants = TwilioAccounts.builder(sid -> store.configOf(sid), shared).build();
 * Receipt r = tenants.send(AccountSid.of(tenantSid), "sms", Message.text("+14155551234", "See you at 7"));
 * }</pre>
 */
public final class TwilioAccounts implements AutoCloseable {
    /** How long an account stays open unused, by default. */
    public static final Duration DEFAULT_IDLE_AFTER = Duration.ofMinutes(10);
    /** How often using accounts also closes the idle ones, at most. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final AccountResolver resolver;
    private final TwilioInfrastructure infrastructure;
    private final Duration idleAfter;
    private final Clock clock;
    private final List<TwilioEventListener> listeners;
    private final List<Customizer> customizers;
    private final Map<AccountSid, Opened> opened = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastSweep;
    private volatile boolean closed;

    /**
     * Sets what a {@link TwilioConfig} does not carry on each account as it is opened: its
     * {@linkplain TwilioAccount.Builder#consentLedger consent ledger},
     * {@linkplain TwilioAccount.Builder#quietHours quiet hours},
     * {@linkplain TwilioAccount.Builder#sessionWindows WhatsApp windows}, clock or listeners of its own.
     * Called on the builder of every account opened, also after an idle close or a
     * {@link TwilioAccounts#refresh}, after the builder's own listeners were added.
     */
    @FunctionalInterface
    public interface Customizer {
        /**
         * Sets what {@code accountSid}'s account needs on {@code builder}. An exception thrown makes
         * that account unavailable (its sends fail as not sent), as a resolver's does.
         */
        void customize(AccountSid accountSid, TwilioAccount.Builder builder);
    }

    /** An open account, when it was last used and how many sends use it now. */
    private static final class Opened {
        final TwilioAccount account;
        final AtomicInteger inUse = new AtomicInteger();
        volatile Instant lastUsed;

        Opened(TwilioAccount account, Instant now) {
            this.account = account;
            this.lastUsed = now;
        }
    }

    private TwilioAccounts(Builder b) {
        this.resolver = b.resolver;
        this.infrastructure = b.infrastructure;
        this.idleAfter = b.idleAfter;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        this.customizers = List.copyOf(b.customizers);
        this.lastSweep = new AtomicReference<>(clock.instant());
    }

    /**
     * A builder of accounts resolved by {@code resolver}, opened on {@code infrastructure} (which
     * the caller keeps and closes after this).
     */
    public static Builder builder(AccountResolver resolver, TwilioInfrastructure infrastructure) {
        return new Builder(resolver, infrastructure);
    }

    /**
     * The open account for {@code accountSid}, opened now if needed. Do not keep it: it may be
     * closed when idle or replaced by {@link #refresh}; ask again for each unit of work, or use
     * {@link #send}, which also handles an account replaced during the call.
     *
     * @throws AccountUnavailableException when the resolver throws, knows no such account or
     *         answers with another account's configuration
     * @throws ClientClosedException when this is closed
     */
    public TwilioAccount account(AccountSid accountSid) {
        Opened o = use(Objects.requireNonNull(accountSid, "accountSid"));
        o.inUse.decrementAndGet();
        return o.account;
    }

    /**
     * Sends {@code message} on {@code channelId} of the account {@code accountSid}, opening it if
     * needed. When the account is closed (idle) or replaced (refresh) just as the send begins, the
     * send, which has not started, goes to the account now open instead.
     *
     * @throws AccountUnavailableException when the account cannot be opened; nothing was sent
     * @see Channel#send(Message)
     */
    public Receipt send(AccountSid accountSid, String channelId, Message message) {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(message, "message");
        for (int attempt = 1; ; attempt++) {
            Opened o = use(accountSid);
            try {
                return o.account.channel(channelId).send(message);
            } catch (ClientClosedException e) {
                if (attempt > 1 || closed || opened.get(accountSid) == o) {
                    throw e;
                }
                // closed as idle or replaced by refresh before the send started: not sent, so send on the account open now
            } finally {
                o.inUse.decrementAndGet();
                o.lastUsed = clock.instant();
            }
        }
    }

    private Opened use(AccountSid accountSid) {
        ensureOpen();
        sweepIfDue();
        Opened o = opened.get(accountSid);
        if (o == null) {
            o = opened.computeIfAbsent(accountSid, this::open);
            if (closed && opened.remove(accountSid, o)) {
                o.account.close();
                ensureOpen();
            }
        }
        o.inUse.incrementAndGet();
        o.lastUsed = clock.instant();
        return o;
    }

    private Opened open(AccountSid accountSid) {
        TwilioConfig config = resolve(accountSid).orElseThrow(() -> new AccountUnavailableException(accountSid,
                "account " + accountSid + " is unknown to the application's AccountResolver (it returned nothing);"
                        + " nothing was sent. Add the account to the store the resolver reads, or stop sending for it.",
                null));
        return opened(config);
    }

    private Opened opened(TwilioConfig config) {
        AccountSid accountSid = config.credentials().accountSid();
        TwilioAccount.Builder b = TwilioAccount.builder(config).sharing(infrastructure);
        listeners.forEach(b::listener);
        for (Customizer customizer : customizers) {
            try {
                customizer.customize(accountSid, b);
            } catch (RuntimeException e) {
                throw new AccountUnavailableException(accountSid, "account " + accountSid + " could not be opened:"
                        + " a TwilioAccounts customizer threw " + e.getClass().getName() + " (the cause); nothing was"
                        + " sent. Other accounts are not affected; the next use tries again.", e);
            }
        }
        return new Opened(b.build(), clock.instant());
    }

    /** What the resolver says of {@code accountSid}; its failures and wrong answers as {@link AccountUnavailableException}. */
    private Optional<TwilioConfig> resolve(AccountSid accountSid) {
        Optional<TwilioConfig> config;
        try {
            config = resolver.resolve(accountSid);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new AccountUnavailableException(accountSid, "account " + accountSid + " could not be opened: its"
                    + " AccountResolver threw " + e.getClass().getName() + " (the cause); nothing was sent. Other"
                    + " accounts are not affected; the next use asks the resolver again.", e);
        }
        if (config == null) {
            config = Optional.empty();
        }
        if (config.isPresent() && !config.get().credentials().accountSid().equals(accountSid)) {
            throw new AccountUnavailableException(accountSid, "the AccountResolver returned the configuration of "
                    + config.get().credentials().accountSid() + " when asked for " + accountSid + "; nothing was sent,"
                    + " so that no message goes out on another customer's account. Fix the resolver's look-up.", null);
        }
        return config;
    }

    /**
     * Asks the resolver again for {@code accountSid} and, when it is open, puts an account on what
     * the resolver says now in its place (new credentials take effect for every send that starts
     * after this returns). Sends in flight on the old account finish with the old credentials; this
     * returns once they have (at most the send deadline), and the old account is closed. When the
     * resolver now knows no such account, the open one is closed and the exception thrown. An
     * account not open is left to be opened at its next use.
     *
     * @throws AccountUnavailableException when the resolver throws (the open account stays as it
     *         is), knows no such account or answers with another account's configuration
     */
    public void refresh(AccountSid accountSid) {
        Objects.requireNonNull(accountSid, "accountSid");
        ensureOpen();
        if (!opened.containsKey(accountSid)) {
            return;
        }
        Optional<TwilioConfig> config;
        try {
            config = resolve(accountSid);
        } catch (AccountUnavailableException e) {
            if (e.getCause() == null) {
                closeOpen(accountSid);
            }
            throw e;
        }
        if (config.isEmpty()) {
            closeOpen(accountSid);
            throw new AccountUnavailableException(accountSid, "account " + accountSid + " is no longer known to the"
                    + " application's AccountResolver; it was closed, and its later sends fail as not sent.", null);
        }
        Opened old = opened.put(accountSid, opened(config.get()));
        if (old != null) {
            old.account.close();
        }
        if (closed) {
            closeOpen(accountSid);
        }
    }

    private void closeOpen(AccountSid accountSid) {
        Opened o = opened.remove(accountSid);
        if (o != null) {
            o.account.close();
        }
    }

    /**
     * Closes the accounts unused for {@link Builder#idleAfter} or longer and not sending now.
     *
     * @return how many were closed
     */
    public int closeIdle() {
        Instant now = clock.instant();
        lastSweep.set(now);
        int closedNow = 0;
        for (Map.Entry<AccountSid, Opened> e : opened.entrySet()) {
            Opened o = e.getValue();
            if (o.inUse.get() == 0 && !now.isBefore(o.lastUsed.plus(idleAfter)) && opened.remove(e.getKey(), o)) {
                o.account.close();
                closedNow++;
            }
        }
        return closedNow;
    }

    private void sweepIfDue() {
        Instant last = lastSweep.get();
        Instant now = clock.instant();
        if (!now.isBefore(last.plus(SWEEP_EVERY)) && lastSweep.compareAndSet(last, now)) {
            closeIdle();
        }
    }

    /** The accounts open now. */
    public int openAccounts() {
        return opened.size();
    }

    /** True when {@code accountSid}'s account is open now (used, not yet closed as idle). */
    public boolean isOpen(AccountSid accountSid) {
        return opened.containsKey(Objects.requireNonNull(accountSid, "accountSid"));
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClientClosedException("these TwilioAccounts are closed; nothing was sent. Open new ones.");
        }
    }

    /** Closes every account opened (each waits for its sends in flight); not the infrastructure. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (AccountSid sid : new ArrayList<>(opened.keySet())) {
            closeOpen(sid);
        }
    }

    @Override
    public String toString() {
        return "TwilioAccounts[open=" + opened.size() + ", idleAfter=" + idleAfter + (closed ? ", closed" : "") + "]";
    }

    /** Builds {@link TwilioAccounts}. */
    public static final class Builder {
        private final AccountResolver resolver;
        private final TwilioInfrastructure infrastructure;
        private Duration idleAfter = DEFAULT_IDLE_AFTER;
        private Clock clock = Clock.systemUTC();
        private final List<TwilioEventListener> listeners = new ArrayList<>();
        private final List<Customizer> customizers = new ArrayList<>();

        private Builder(AccountResolver resolver, TwilioInfrastructure infrastructure) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            this.infrastructure = Objects.requireNonNull(infrastructure, "infrastructure");
        }

        /**
         * How long an account stays open unused before {@link #closeIdle()} closes it (default
         * {@link #DEFAULT_IDLE_AFTER}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder idleAfter(Duration idleAfter) {
            Objects.requireNonNull(idleAfter, "idleAfter");
            if (idleAfter.isNegative() || idleAfter.isZero()) {
                throw new IllegalArgumentException("idleAfter is " + idleAfter + "; it must be positive, e.g."
                        + " Duration.ofMinutes(10)");
            }
            this.idleAfter = idleAfter;
            return this;
        }

        /** The clock deciding when an account is idle (default: the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds a listener given to every account opened (default none). Events carry no account:
         * a listener per account, e.g. metrics tagged by account, is left to the application,
         * which knows whether the number of its accounts fits its metrics system.
         */
        public Builder listener(TwilioEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds a customizer called on the builder of every account opened (default none), in the
         * order added; e.g. one consent ledger for all accounts (its scopes carry the account):
         * {@code customize((sid, account) -> account.consentLedger(ledger))}.
         */
        public Builder customize(Customizer customizer) {
            customizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /** The accounts; opens none until one is used. */
        public TwilioAccounts build() {
            return new TwilioAccounts(this);
        }
    }
}
