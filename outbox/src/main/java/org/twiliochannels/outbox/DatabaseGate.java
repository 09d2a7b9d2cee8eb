package org.twiliochannels.outbox;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a worker reaches its database, shared by the worker's threads. A call that fails because
 * the database cannot be reached ({@link #isUnreachable}) starts an outage, logged once; its caller
 * pauses ({@link #backoff}: 100 ms doubling to 2 s) and tries the same unit of work again, on a
 * fresh connection from the pool. The first call that succeeds ends the outage (logged once, with
 * how long it lasted) and wakes every thread pausing. Other failures pass through untouched.
 * Thread-safe.
 */
final class DatabaseGate {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    /** The pause after a caller's first failure. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    /** The longest pause between two tries of one caller. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    private static final String HIKARI_CLOSED = "Connection is closed";

    /** How a caller pauses between tries. */
    interface Pauser {
        void pause(Duration d) throws InterruptedException;
    }

    /** A unit of work on the database: one transaction, or one statement. */
    interface Work<T> {
        T run() throws InterruptedException;
    }

    private final String worker;
    private final Clock clock;
    private final Pauser pauser;
    private final Object monitor = new Object();
    private volatile WorkerHealth health;

    /** A gate whose callers pause on it: woken early when the database is reached again. */
    DatabaseGate(String worker, Clock clock) {
        this.worker = worker;
        this.clock = clock;
        this.health = WorkerHealth.running(clock.instant(), 0);
        this.pauser = this::awaitReachable;
    }

    /** A gate whose callers pause with {@code pauser} (tests: recorded, not waited). */
    DatabaseGate(String worker, Clock clock, Pauser pauser) {
        this.worker = worker;
        this.clock = clock;
        this.health = WorkerHealth.running(clock.instant(), 0);
        this.pauser = pauser;
    }

    /** The worker's health now. */
    WorkerHealth health() {
        return health;
    }

    /** The pause after a caller's {@code failures}-th failure in a row (1 or more). */
    static Duration backoff(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 16);
        Duration d = FIRST_PAUSE.multipliedBy(1L << doublings);
        return d.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : d;
    }

    /**
     * Runs {@code work}, and again after a pause each time it fails because the database cannot be
     * reached, while {@code keepTrying} holds.
     *
     * @throws RuntimeException the work's failure when it is not the database being unreachable, or
     *                          when {@code keepTrying} no longer holds
     */
    <T> T call(Work<T> work, BooleanSupplier keepTrying) throws InterruptedException {
        for (int failures = 1; ; failures++) {
            T result;
            try {
                result = work.run();
            } catch (RuntimeException e) {
                if (pause(e, failures, keepTrying)) {
                    continue;
                }
                throw e;
            }
            reachable();
            return result;
        }
    }

    /**
     * After a caller's {@code failures}-th failure in a row: when the database could not be reached,
     * records the outage and, while {@code keepTrying} holds, pauses and returns true (try again);
     * otherwise returns false (the caller handles {@code e}).
     */
    boolean pause(RuntimeException e, int failures, BooleanSupplier keepTrying) throws InterruptedException {
        if (!isUnreachable(e)) {
            return false;
        }
        unreachable(e);
        if (!keepTrying.getAsBoolean()) {
            return false;
        }
        pauser.pause(backoff(failures));
        return keepTrying.getAsBoolean();
    }

    /** A call succeeded: ends an outage, if there was one, and wakes the threads pausing. */
    void reachable() {
        if (health.state() != WorkerHealth.State.DATABASE_UNAVAILABLE) {
            return;
        }
        synchronized (monitor) {
            WorkerHealth h = health;
            if (h.state() == WorkerHealth.State.DATABASE_UNAVAILABLE) {
                Instant now = clock.instant();
                LOG.info("outbox worker {}: the database is reachable again after {} ms; claiming again", worker,
                        Duration.between(h.since(), now).toMillis());
                health = WorkerHealth.running(now, h.outages());
                monitor.notifyAll();
            }
        }
    }

    private void unreachable(RuntimeException e) {
        String error = describe(e);
        Optional<String> type = Optional.of(root(e).getClass().getName());
        Optional<String> sqlState = sqlState(e);
        synchronized (monitor) {
            WorkerHealth h = health;
            if (h.state() == WorkerHealth.State.RUNNING) {
                Instant now = clock.instant();
                LOG.warn("outbox worker {}: the database cannot be reached ({}); claiming nothing, keeping what it"
                        + " holds, trying again with backoff up to {} s", worker, error, MAX_PAUSE.toSeconds());
                health = new WorkerHealth(WorkerHealth.State.DATABASE_UNAVAILABLE, now, Optional.of(error), type,
                        sqlState, h.outages() + 1);
            } else if (h.state() == WorkerHealth.State.DATABASE_UNAVAILABLE
                    && !h.lastError().orElse("").equals(error)) {
                health = new WorkerHealth(h.state(), h.since(), Optional.of(error), type, sqlState, h.outages());
            }
        }
    }

    /** The worker stopped: its health says so from now on. */
    void stopped() {
        synchronized (monitor) {
            health = WorkerHealth.stopped(clock.instant(), health.outages());
            monitor.notifyAll();
        }
    }

    /** Waits {@code d}, or less when the database is reached again meanwhile. */
    private void awaitReachable(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        synchronized (monitor) {
            for (long left = d.toNanos(); left > 0 && health.state() != WorkerHealth.State.RUNNING;
                 left = end - System.nanoTime()) {
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * True when {@code e} (or a cause) says the database cannot be reached, rather than that it
     * refused what was asked: {@link OutboxUnavailableException}, the JDBC connection exceptions
     * (a pool timing out is {@link SQLTransientConnectionException}), SQL states of class 08
     * (connection exception: refused, broken, closed), PostgreSQL's 57P01–57P03 (shut down by an
     * administrator, crashed, not accepting connections yet), and HikariCP's closed proxy (a
     * connection it evicted after such an error, used again by a library in the same unit of work:
     * "Connection is closed", without an SQL state).
     */
    static boolean isUnreachable(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof OutboxUnavailableException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && (isConnectionState(s.getSQLState())
                    || HIKARI_CLOSED.equals(s.getMessage())
                    || s.getNextException() != null && isConnectionState(s.getNextException().getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root;
    }

    /** The first SQL state in {@code e}'s causes (or their next exceptions). */
    static Optional<String> sqlState(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null) {
                    return Optional.of(s.getSQLState());
                }
                if (s.getNextException() != null && s.getNextException().getSQLState() != null) {
                    return Optional.of(s.getNextException().getSQLState());
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable e) {
        Throwable root = root(e);
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return JdbcOutboxStore.truncate(m.strip());
    }
}
