package org.twiliochannels.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * At most {@code limit} messages of one {@link MessageCategory} to one recipient in any
 * {@code period} (a rolling period, e.g. "3 MARKETING messages a day" means at most 3 in any 24
 * hours, not per calendar day). The decision is a pure function of the instants at which earlier
 * messages of that category went to that recipient; keeping those instants (per account, recipient
 * and category, shared across instances) is the store's job.
 *
 * @param category the category counted
 * @param limit    the most messages allowed in any period, 1 to 10,000
 * @param period   the rolling period, whole seconds, 1 minute to 366 days
 */
public record FrequencyCap(MessageCategory category, int limit, Duration period) {
    private static final Duration SHORTEST = Duration.ofMinutes(1);
    private static final Duration LONGEST = Duration.ofDays(366);

    /** Validates. */
    public FrequencyCap {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(period, "period");
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit " + limit + " must be 1 to 10000 messages per period; to stop"
                    + " a category altogether, do not send it");
        }
        if (period.compareTo(SHORTEST) < 0 || period.compareTo(LONGEST) > 0 || period.getNano() != 0) {
            throw new IllegalArgumentException("period " + period + " must be whole seconds from 1 minute (PT1M) to"
                    + " 366 days (P366D), e.g. Duration.ofDays(1)");
        }
    }

    /** At most {@code limit} messages of {@code category} in any {@code period}. */
    public static FrequencyCap of(MessageCategory category, int limit, Duration period) {
        return new FrequencyCap(category, limit, period);
    }

    /**
     * The earliest instant at or after {@code now} at which one more message keeps the cap:
     * {@code now} when fewer than {@code limit} of {@code sent} lie in the period before it, else the
     * instant at which enough of them have left the period. Sends at or after {@code now} (another
     * instance's clock a little ahead) count as in the period.
     *
     * @param sent when earlier messages of this category went to this recipient, in any order
     */
    public Instant nextAllowed(Collection<Instant> sent, Instant now) {
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(now, "now");
        Instant since = now.minus(period);
        List<Instant> inPeriod = new ArrayList<>();
        for (Instant t : sent) {
            if (Objects.requireNonNull(t, "sent").isAfter(since)) {
                inPeriod.add(t);
            }
        }
        if (inPeriod.size() < limit) {
            return now;
        }
        inPeriod.sort(null);
        Instant next = inPeriod.get(inPeriod.size() - limit).plus(period);
        return next.isAfter(now) ? next : now;
    }

    /** True when one more message at {@code now} keeps the cap. */
    public boolean allows(Collection<Instant> sent, Instant now) {
        return nextAllowed(sent, now).equals(now);
    }

    /** {@code "at most 3 MARKETING messages per PT24H"}. */
    @Override
    public String toString() {
        return "at most " + limit + " " + category + " messages per " + period;
    }
}
