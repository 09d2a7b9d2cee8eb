package org.twiliochannels.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.internal.http.Http1Client;
import org.twiliochannels.core.internal.send.AccountEngine;
import org.twiliochannels.core.internal.send.SendChecks;
import org.twiliochannels.core.internal.twilio.TwilioApi;

/**
 * The expensive parts that many {@link TwilioAccount}s share in one process: the connections to
 * Twilio's hosts (kept per host, not per account), one deadline watch, the name look-up threads
 * and a bounded pool of threads for async sends. A platform that sends for thousands of its
 * customers' subaccounts opens one, and opens every account on it with
 * {@link TwilioAccount.Builder#sharing(TwilioInfrastructure)}; threads then stay the same however
 * many accounts are open, and each account costs only its own small state.
 *
 * <p>What stays per account: its credentials and configuration (senders, timeouts, retry policy),
 * its limit of {@code maxConcurrentRequests} requests in flight, its listeners, its channels and
 * its {@code close()}, which waits for its own sends and leaves the shared parts open. Send ids
 * ({@code SendStarted.sendId()} …) are unique among the accounts of one infrastructure, so one
 * listener may serve them all. Accounts
 * whose configurations name the same proxy and connect timeout share one set of connections (and
 * one deadline watch); a different proxy or connect timeout gets a set of its own.
 *
 * <p>{@link #close()} closes what the infrastructure owns. Accounts still open are not closed by
 * it (it does not own them): it logs a warning naming how many, and their later requests fail as
 * not sent, with a message saying their infrastructure is closed. Close accounts first. Thread-safe.
 *
 * <pre>{@code
 * try (TwilioInfrastructure shared = TwilioInfrastructure.builder().sendThreads(32).build()) {
 *     TwilioAccount tenant = TwilioAccount.builder(tenantConfig).sharing(shared).build();
 *     tenant.channel("sms").send(Message.text("+14155551234", "Your table is ready"));
 *     tenant.close();
 * }
 * }</pre>
 */
public final class TwilioInfrastructure implements AutoCloseable {
    /** The async send threads by default: enough for a few hundred sends per second at 100 ms answers. */
    public static final int DEFAULT_SEND_THREADS = 16;
    /** The most async send threads one infrastructure may have. */
    public static final int MAX_SEND_THREADS = 1_024;

    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    /** What decides whether two accounts can share connections. */
    private record ConnectionKey(Optional<HttpProxy> proxy, Duration connectTimeout) {}

    private final int sendThreads;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final Map<ConnectionKey, Http1Client> connections = new ConcurrentHashMap<>();
    private final Set<TwilioAccount> open = ConcurrentHashMap.newKeySet();
    /** Send ids unique among the accounts opened here, for listeners they share. */
    private final AtomicLong sendIds = new AtomicLong();
    private boolean closed;

    private TwilioInfrastructure(Builder b) {
        this.sendThreads = b.sendThreads;
        this.executor = AccountEngine.newExecutor(b.sendThreads);
    }

    /** An infrastructure with the defaults ({@link #DEFAULT_SEND_THREADS} send threads). */
    public static TwilioInfrastructure open() {
        return builder().build();
    }

    /** A builder of an infrastructure. */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine of an account opened on this infrastructure; the account is counted as open. */
    AccountEngine engine(TwilioAccount account, TwilioConfig config, List<TwilioEventListener> listeners,
                         SendChecks checks, org.twiliochannels.core.whatsapp.SessionWindows windows) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this TwilioInfrastructure is closed; open the account "
                        + config.credentials().accountSid() + " on an open one (TwilioInfrastructure.open())");
            }
            Http1Client http = connections.computeIfAbsent(new ConnectionKey(config.proxy(), config.connectTimeout()),
                    k -> TwilioApi.sharedClient(config));
            AccountEngine engine = new AccountEngine(config, listeners, checks, windows,
                    new TwilioApi(config, http), executor, sendIds);
            open.add(account);
            return engine;
        }
    }

    /** The account was closed: it no longer counts as open. */
    void closed(TwilioAccount account) {
        open.remove(account);
    }

    /** The accounts opened on this infrastructure and not closed yet. */
    public int openAccounts() {
        return open.size();
    }

    /** The sets of shared connections: one per distinct proxy and connect timeout of the accounts opened. */
    public int connectionPools() {
        return connections.size();
    }

    /** The most threads that run async sends, for all accounts together. */
    public int sendThreads() {
        return sendThreads;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Closes the connections (requests in flight on them end as failures saying so), the deadline
     * watch and the send threads (waiting at most a second for them); async sends not started yet
     * end as not sent. Accounts still open are not closed: a warning names how many, and their later
     * sends fail as not sent ({@link ClientClosedException}). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<TwilioAccount> stillOpen = new ArrayList<>(open);
        if (!stillOpen.isEmpty()) {
            LOG.warn("closing a TwilioInfrastructure with {} account(s) still open (e.g. {}); their later sends fail"
                    + " as not sent: close the accounts before their infrastructure", stillOpen.size(),
                    stillOpen.get(0).config().credentials().accountSid());
        }
        // connections first: async sends still queued then end at once as not sent, when they run below
        connections.values().forEach(Http1Client::close);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                endNotStarted();
            }
        } catch (InterruptedException e) {
            endNotStarted();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the send threads; each async send they had not started is run here, which ends it as not sent. */
    private void endNotStarted() {
        for (Runnable notStarted : executor.shutdownNow()) {
            notStarted.run();
        }
    }

    @Override
    public String toString() {
        return "TwilioInfrastructure[openAccounts=" + open.size() + ", connectionPools=" + connections.size()
                + ", sendThreads=" + sendThreads + (isClosed() ? ", closed" : "") + "]";
    }

    /** Builds a {@link TwilioInfrastructure}. */
    public static final class Builder {
        private int sendThreads = DEFAULT_SEND_THREADS;

        private Builder() {}

        /**
         * The most threads running async sends for all accounts together (default
         * {@value #DEFAULT_SEND_THREADS}); they start on demand and end after 30 s idle. Blocking
         * sends run on the caller's thread and do not use them.
         *
         * @throws IllegalArgumentException outside 1 to {@value #MAX_SEND_THREADS}
         */
        public Builder sendThreads(int threads) {
            if (threads < 1 || threads > MAX_SEND_THREADS) {
                throw new IllegalArgumentException("sendThreads is " + threads + "; it must be 1 to "
                        + MAX_SEND_THREADS + ": the threads all accounts' async sends share");
            }
            this.sendThreads = threads;
            return this;
        }

        /** The infrastructure; starts no thread and opens no connection until an account sends. */
        public TwilioInfrastructure build() {
            return new TwilioInfrastructure(this);
        }
    }
}
