package org.twiliochannels.core.internal.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Small helpers of the HTTP client. */
final class Transports {
    private Transports() {}

    /**
     * Daemon threads named {@code prefix} and a number (e.g. {@code twilio-channels-resolve-1}), so
     * that a transport never keeps the JVM alive and its threads are recognisable in a thread dump.
     */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicLong threads = new AtomicLong();
        return task -> {
            Thread t = new Thread(task, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
