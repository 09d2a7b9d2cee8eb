package org.twiliochannels.core.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a connection whose exchange outlives its deadline. Reads are bounded more precisely by
 * their socket timeouts; this watch covers what a socket timeout cannot: a write the peer never
 * reads, and a TLS handshake or an answer trickled in a byte at a time. One daemon thread per
 * transport, started on first use, checks every {@link #TICK_MILLIS} while exchanges are watched
 * and parks while none are, so a watched exchange costs two map updates.
 */
final class DeadlineWatch implements AutoCloseable {
    static final long TICK_MILLIS = 50;

    private final Map<Http1Connection, Long> watched = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean parkedIdle;

    DeadlineWatch() {
        this.thread = Transports.daemonThreads("twilio-channels-deadline-").newThread(this::run);
        this.thread.start();
    }

    /** Watches {@code connection} until {@link #release}; it is closed if still watched at {@code deadlineNanos}. */
    void watch(Http1Connection connection, long deadlineNanos) {
        watched.put(connection, deadlineNanos);
        if (parkedIdle) {
            LockSupport.unpark(thread);
        }
    }

    void release(Http1Connection connection) {
        watched.remove(connection);
    }

    /** The connections watched now: the exchanges in flight. */
    Iterable<Http1Connection> inFlight() {
        return watched.keySet();
    }

    private void run() {
        while (!closed) {
            if (watched.isEmpty()) {
                parkedIdle = true;
                if (watched.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                parkedIdle = false;
                continue;
            }
            long now = System.nanoTime();
            for (Map.Entry<Http1Connection, Long> e : watched.entrySet()) {
                if (now - e.getValue() >= 0 && watched.remove(e.getKey(), e.getValue())) {
                    e.getKey().expire();
                }
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
    }

    /** Stops the watch's thread and waits (at most a second) until it has ended. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
