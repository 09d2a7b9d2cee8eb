package org.twiliochannels.core.bulk;

import java.time.Duration;

/**
 * Counts so far in a bulk send, for progress displays.
 *
 * @param accepted     accepted by Twilio
 * @param rejected     not sent
 * @param unknown      may have been sent
 * @param skipped      skipped as already done
 * @param notAttempted not attempted after an early stop
 * @param inFlight     requests under way
 * @param segments     segments of the accepted messages
 * @param elapsed      time since the start
 * @param concurrency  the current limit of requests in flight (halved after 429s, grown back after successes)
 * @param awaitingSettle items whose answer was lost, waiting for the end of the run to be settled from the log
 * @param settledFound items accepted because Twilio's log showed their message (counted in {@code accepted} too)
 * @param resent       items sent again because Twilio's log showed nothing was created
 * @param optedOut     not sent, no request: the recipient opted out (the account's consent ledger)
 * @param held         not sent, no request: held by the account's quiet hours
 */
public record BulkProgress(long accepted, long rejected, long unknown, long skipped, long notAttempted, int inFlight,
                           long segments, Duration elapsed, int concurrency, long awaitingSettle, long settledFound,
                           long resent, long optedOut, long held) {

    /** Items with an outcome. */
    public long done() {
        return accepted + rejected + unknown + skipped + notAttempted + optedOut + held;
    }

    /** Accepted messages per second since the start. */
    public double acceptedPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : accepted / s;
    }

    /**
     * One line, e.g. {@code 12000 done: 11890 accepted, 100 rejected, 10 unknown, 0 skipped, 7 opted
     * out, 3 held by quiet hours (1998.5 msg/s)}; opted out and held only when there are some.
     */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d done: %d accepted, %d rejected, %d unknown, %d skipped%s%s%s%s%s"
                        + " (%.1f msg/s)", done(), accepted, rejected, unknown, skipped,
                notAttempted == 0 ? "" : ", " + notAttempted + " not attempted",
                optedOut == 0 ? "" : ", " + optedOut + " opted out",
                held == 0 ? "" : ", " + held + " held by quiet hours",
                settledFound == 0 && resent == 0 ? "" : "; settled from Twilio's log: " + settledFound + " found, "
                        + resent + " absent and resent",
                awaitingSettle == 0 ? "" : "; " + awaitingSettle + " awaiting settlement", acceptedPerSecond());
    }
}
