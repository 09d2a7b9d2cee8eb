package org.twiliochannels.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.outbox.OutboxState;

/**
 * What the page shows, read from the outbox's tables at one moment: the only input of {@link Page}.
 *
 * @param at         when it was read
 * @param counts     messages per state, every state present (as {@code Outbox.counts()})
 * @param queue      the waiting part of the queue
 * @param throughput accepted messages per minute over the last day
 * @param window     how far back the funnel and failures go by the messages' last change (open ones always count)
 * @param funnels    the delivery funnel per channel and campaign (batch), over the window
 * @param failures   failures by Twilio error code, newest first, over the window
 * @param unknowns   messages that may have been sent, newest first
 * @param recent     the newest messages, newest first
 * @param consent    the consent ledger's changes, empty when its tables are not there (schema before version 3)
 */
record Snapshot(Instant at, Map<OutboxState, Long> counts, Queue queue, Throughput throughput, Duration window,
                List<Funnel> funnels,
                List<Failure> failures, List<Unknown> unknowns, List<Recent> recent, Optional<Consent> consent) {

    Snapshot {
        counts = Map.copyOf(counts);
        funnels = List.copyOf(funnels);
        failures = List.copyOf(failures);
        unknowns = List.copyOf(unknowns);
        recent = List.copyOf(recent);
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The queued messages: those due now and those waiting for a later time (a send-after time,
     * quiet hours or a retry's backoff), and leases whose worker stopped renewing them.
     *
     * @param due            queued and due now
     * @param dueRetries     of those, how many failed before and are being tried again
     * @param oldestDue      since when the oldest due message has waited
     * @param later          queued for a later time
     * @param laterRetries   of those, how many wait for a retry's backoff (the others are scheduled or held)
     * @param nextLater      when the next of those is due
     * @param expiredLeases  claimed or sending, the lease expired: a stopped worker's, taken over by the next claim
     */
    record Queue(long due, long dueRetries, Optional<Instant> oldestDue, long later, long laterRetries,
                 Optional<Instant> nextLater, long expiredLeases) {}

    /**
     * Accepted messages per minute, by the time of the attempt Twilio accepted.
     *
     * @param perMinute    minute (epoch minute) to count, minutes without any left out
     * @param firstMinute  the epoch minute the day's chart starts at (1440 minutes up to {@code at})
     */
    record Throughput(Map<Long, Long> perMinute, long firstMinute) {
        Throughput {
            perMinute = Map.copyOf(perMinute);
        }
    }

    /**
     * One channel's and campaign's messages from enqueue to Twilio's last status.
     *
     * @param batch    the campaign (the outbox's batch), empty for messages enqueued without one
     * @param waiting  queued, claimed or sending
     * @param accepted accepted by Twilio (every later stage is part of it)
     * @param sent     accepted and reported sent or further (delivered, read, undelivered)
     * @param delivered delivered or read
     * @param read     read (WhatsApp)
     * @param undelivered sent, not delivered by the carrier
     * @param failed   accepted, then not sent by Twilio
     * @param rejected refused before sending (Twilio refused it, invalid, attempts ran out)
     * @param unknown  may have been sent
     * @param skipped  ended without a request: opted out, canceled or a duplicate
     */
    record Funnel(String channel, Optional<String> batch, long waiting, long accepted, long sent, long delivered,
                  long read, long undelivered, long failed, long rejected, long unknown, long skipped) {
        long total() {
            return waiting + accepted + rejected + unknown + skipped;
        }
    }

    /**
     * The messages that carry one Twilio error code.
     *
     * @param code        the code, empty for failures recorded without one
     * @param rejected    refused before sending
     * @param undelivered accepted, then undelivered or failed
     * @param retrying    queued again after this error
     * @param unknown     may have been sent after this error
     * @param newest      the newest change of such a message
     */
    record Failure(OptionalInt code, long rejected, long undelivered, long retrying, long unknown, Instant newest) {
        long total() {
            return rejected + undelivered + retrying + unknown;
        }
    }

    /** A message that may have been sent, with what an operator needs to decide (never its body). */
    record Unknown(long id, Optional<String> key, Optional<String> batch, String channel, String recipient,
                   int attempts, OptionalInt code, Optional<Instant> lastAttempt, Instant updated) {}

    /** One of the newest messages (never its body). */
    record Recent(long id, Optional<String> batch, String channel, String recipient, OutboxState state,
                  Optional<String> twilioStatus, OptionalInt code, Instant updated) {}

    /**
     * The consent ledger: changes per day over the last {@link DashboardStore#CONSENT_DAYS} days,
     * by source, and the opt-outs in force.
     *
     * @param firstDay       the epoch day (UTC) the chart starts at
     * @param optOutsPerDay  epoch day to opt-outs recorded that day, days without any left out
     * @param optInsPerDay   epoch day to opt-ins recorded that day, days without any left out
     * @param optOutsBySource source kind ({@code keyword}, {@code error-21610}, {@code api}) to opt-outs in those days
     * @param optInsBySource  source kind to opt-ins in those days
     * @param optedOut       (scope, recipient) pairs whose change in force is an opt-out, of any age
     * @param newest         the newest changes, newest first, recipients masked
     */
    record Consent(long firstDay, Map<Long, Long> optOutsPerDay, Map<Long, Long> optInsPerDay,
                   Map<String, Long> optOutsBySource, Map<String, Long> optInsBySource, long optedOut,
                   List<ConsentRow> newest) {
        Consent {
            optOutsPerDay = Map.copyOf(optOutsPerDay);
            optInsPerDay = Map.copyOf(optInsPerDay);
            optOutsBySource = Map.copyOf(optOutsBySource);
            optInsBySource = Map.copyOf(optInsBySource);
            newest = List.copyOf(newest);
        }
    }

    /** One recorded consent change (the recipient masked, no note or operator shown). */
    record ConsentRow(Instant at, String recipient, String channel, boolean optedOut, String source) {}
}
