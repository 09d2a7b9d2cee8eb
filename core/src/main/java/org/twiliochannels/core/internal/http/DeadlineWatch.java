package org.twiliochannels.core.internal.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a connection whose exchange outlives its deadline. Reads are bounded more precisely by
 * their socket timeouts; this watch covers what a socket timeout cannot: a write the peer never
 * reads, and a TLS handshake or an answer trickled in a byte at a time. One daemon thread per
 * transport, started at the first watched exchange, checks every {@link #TICK_MILLIS} while
 * exchanges are watched and parks while none are, so a watched exchange costs two map updates.
 */
final class DeadlineWatch implements AutoCloseable {
    static final long TICK_MILLIS = 50;

    private final Map<Http1Connection, Long> watched = new ConcurrentHashMap<>();
    private final Object starting = new Object();
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile boolean parkedIdle;

    /** Watches {@code connection} until {@link #release}; it is closed if still watched at {@code deadlineNanos}. */
    void watch(Http1Connection connection, long deadlineNanos) {
        watched.put(connection, deadlineNanos);
        Thread t = thread;
        if (t == null) {
            start();
        } else if (parkedIdle) {
            LockSupport.unpark(t);
        }
    }

    private void start() {
        synchronized (starting) {
            if (thread == null && !closed) {
                Thread t = Transports.daemonThreads("twilio-channels-deadline-").newThread(this::run);
                t.start();
                thread = t;
            }
        }
    }

    /**
     * Stops watching {@code connection}. False when the watch got there first: the deadline passed
     * and the connection is closed or being closed, so it must not be used again.
     */
    boolean release(Http1Connection connection) {
        return watched.remove(connection) != null;
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

    /** Stops the watch's thread, if it was started, and waits (at most a second) until it has ended. */
    @Override
    public void close() {
        Thread t;
        synchronized (starting) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            if (Thread.currentThread() != t) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
