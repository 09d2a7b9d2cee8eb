package org.twiliochannels.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.schedule.FrequencyCap;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;

/**
 * The rules an outbox applies to every message, at enqueue and again when a worker claims it:
 * quiet hours, frequency caps per category, and the duplicate window (zero: off). The consent
 * check needs no setting: it always runs.
 *
 * @param quietHours      the sending windows
 * @param caps            at most one cap per category
 * @param duplicateWindow how long the same content to the same recipient is dropped as a duplicate; zero for never
 */
record SendRules(QuietHours quietHours, Map<MessageCategory, FrequencyCap> caps, Duration duplicateWindow) {
    SendRules {
        caps = Map.copyOf(caps);
    }

    /** When a message of {@code category} to {@code to} may go, at or after {@code at}: quiet hours applied. */
    Instant dueAt(Address to, MessageCategory category, Optional<ZoneId> zone, Instant at) {
        return zone.isPresent() ? quietHours.nextAllowed(to, category, List.of(zone.get()), at)
                : quietHours.nextAllowed(to, category, at);
    }

    /** True when a claim of {@code c} goes through the frequency-cap and duplicate checks. */
    boolean checksRecent(Claim c) {
        return caps.containsKey(c.category()) || (!duplicateWindow.isZero() && c.fingerprint().isPresent());
    }

    /** How far back those checks look. */
    Duration lookback() {
        Duration longest = duplicateWindow;
        for (FrequencyCap cap : caps.values()) {
            if (cap.period().compareTo(longest) > 0) {
                longest = cap.period();
            }
        }
        return longest;
    }
}
