package org.twiliochannels.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentState;

/** The consent section's numbers computed again from the ledger's own API. */
final class Ledger {
    private Ledger() {}

    /** The per-day, per-source and opted-out numbers of {@code c} are those of {@code ledger} at {@code now}. */
    static void assertSame(ConsentLedger ledger, Snapshot.Consent c, Instant now) {
        long firstDay = Math.floorDiv(now.getEpochSecond(), 86_400) - DashboardStore.CONSENT_DAYS + 1;
        assertEquals(firstDay, c.firstDay());
        Map<Long, Long> outs = new HashMap<>();
        Map<Long, Long> ins = new HashMap<>();
        Map<String, Long> outsBySource = new HashMap<>();
        Map<String, Long> insBySource = new HashMap<>();
        for (ConsentChange ch : ledger.changes()) {
            long day = Math.floorDiv(ch.at().getEpochSecond(), 86_400);
            if (day < firstDay) {
                continue;
            }
            boolean out = ch.state() == ConsentState.OPTED_OUT;
            (out ? outs : ins).merge(day, 1L, Long::sum);
            (out ? outsBySource : insBySource).merge(ch.source().kind(), 1L, Long::sum);
        }
        assertEquals(outs, c.optOutsPerDay(), "opt-outs per day");
        assertEquals(ins, c.optInsPerDay(), "opt-ins per day");
        assertEquals(outsBySource, c.optOutsBySource(), "opt-outs by source");
        assertEquals(insBySource, c.optInsBySource(), "opt-ins by source");
        assertEquals(ledger.current().stream().filter(ch -> ch.state() == ConsentState.OPTED_OUT).count(), c.optedOut(),
                "opted out now");
    }
}
