package org.twiliochannels.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.whatsapp.content.ContentTemplate;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/**
 * Deploys the application's templates when the context starts (a failure stops the start: the
 * application asked for them), then polls the approval status of the deployed templates at a fixed
 * delay on one daemon thread, stopped with the context. A poll that fails is logged and the next
 * one runs as planned.
 */
final class WhatsAppTemplatesPoller implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.whatsapp.templates");

    private final WhatsAppTemplates templates;
    private final List<ContentTemplate> deploy;
    private final Duration every;
    private ScheduledExecutorService scheduler;
    private boolean running;

    WhatsAppTemplatesPoller(WhatsAppTemplates templates, List<ContentTemplate> deploy, Duration every) {
        if (every.isNegative()) {
            throw new IllegalArgumentException("twilio.templates.poll-every: must not be negative, was " + every
                    + "; give a duration such as 5m, or 0 to turn polling off.");
        }
        this.templates = templates;
        this.deploy = List.copyOf(deploy);
        this.every = every;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (!deploy.isEmpty()) {
            try {
                templates.deployAll(deploy);
            } catch (TwilioChannelsException e) {
                throw new TwilioChannelsException("twilio.templates.deploy-on-start: the application's " + deploy.size()
                        + " WhatsApp templates could not be deployed: " + e.getMessage()
                        + " (set twilio.templates.deploy-on-start=false to start without them)", e);
            }
        }
        if (!every.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "twilio-templates-poller");
                t.setDaemon(true);
                return t;
            });
            long millis = every.toMillis();
            scheduler.scheduleWithFixedDelay(this::pollOnce, millis, millis, TimeUnit.MILLISECONDS);
        }
        running = true;
    }

    /** One poll, as the schedule runs it: never throws, so that the schedule goes on. */
    void pollOnce() {
        try {
            templates.poll();
        } catch (RuntimeException e) {
            LOG.warn("WhatsApp templates: polling their approval status failed: {}; the next poll is in {}",
                    e.getMessage(), every);
        }
    }

    /** The delay between polls, while they are scheduled; empty when polling is off or stopped. */
    synchronized Optional<Duration> scheduledEvery() {
        return scheduler == null ? Optional.empty() : Optional.of(every);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("WhatsApp templates: a poll still runs 10 s after the context stopped; left to end");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
