package org.twiliochannels.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Small helpers of {@link TwilioTransport}. */
final class Transports {
    private Transports() {}

    /**
     * Daemon threads named {@code twilio-channels-http-N}, so that a transport never keeps the JVM
     * alive and its threads are recognisable in a thread dump.
     */
    static ThreadFactory daemonThreads() {
        AtomicLong threads = new AtomicLong();
        return task -> {
            Thread t = new Thread(task, "twilio-channels-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
