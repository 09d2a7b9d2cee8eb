package org.twiliochannels.outbox;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the due time-outs of questions on this instance until closed: one thread that calls
 * {@link Conversations#fireDueTimeouts()} and then waits the poll interval. Start one per
 * instance, as {@link OutboxWorker}s; each time-out fires once, on whichever instance claims it.
 */
public final class ConversationWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");

    private final Thread thread;
    private volatile boolean running = true;

    ConversationWorker(Conversations conversations, Duration pollInterval) {
        long pause = Math.max(1, pollInterval.toMillis());
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    conversations.fireDueTimeouts();
                } catch (RuntimeException e) {
                    LOG.warn("question time-outs could not be claimed ({}); trying again in {} ms",
                            e.getClass().getName(), pause);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "twilio-conversations");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops polling; a time-out being fired finishes first (waits at most 10 s). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ConversationWorker[" + (thread.isAlive() ? "running" : "stopped") + "]";
    }
}
