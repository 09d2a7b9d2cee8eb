package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.pacing.Pace;
import org.twiliochannels.core.pacing.Pacer;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.pacing.RateBuckets;
import org.twiliochannels.core.spi.Sender;

/** Each account's cap and each of its senders' rates in buckets of their own. */
class AccountPacersTest {
    static final AccountSid A = AccountSid.of("AC" + "a".repeat(32));
    static final AccountSid B = AccountSid.of("AC" + "b".repeat(32));
    static final Sender NUMBER = Sender.address(PhoneNumber.of("+15005550006"));

    /** The local buckets, recording which keys were drawn from. */
    static final class Recording implements RateBuckets {
        final RateBuckets local = RateBuckets.local();
        final Set<String> keys = Collections.synchronizedSet(new TreeSet<>());

        @Override
        public long reserve(String key, long tokens, long capacity, long tokensPerSecond) throws InterruptedException {
            keys.add(key);
            return local.reserve(key, tokens, capacity, tokensPerSecond);
        }

        @Override
        public boolean isShared() {
            return false;
        }
    }

    @Test
    void bucketKeysOfManyAccountsNameTheAccount() throws Exception {
        Recording buckets = new Recording();
        AccountPacers pacers = AccountPacers.perAccount(sid -> new Pacer(PacingSettings.defaults(), buckets, sid));

        pacers.reserve(List.of(pacers.pace(A, NUMBER, 1), pacers.pace(B, NUMBER, 1)));

        assertEquals(Set.of("account:" + A, "account:" + B, "sender:" + A + "/+15005550006",
                "sender:" + B + "/+15005550006"), buckets.keys);
    }

    @Test
    void oneAccountsBacklogDoesNotSpendAnothersCap() throws Exception {
        PacingSettings tenPerSecond = PacingSettings.builder().accountCap(10).senderRate("+15005550006", 1000).build();
        AccountPacers pacers = AccountPacers.perAccount(sid -> new Pacer(tenPerSecond, RateBuckets.local(), sid));
        List<Pace> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(pacers.pace(A, NUMBER, 1));
        }
        batch.add(pacers.pace(B, NUMBER, 1));

        long before = System.nanoTime();
        long[] at = pacers.reserve(batch);

        long aLast = at[19] - before;
        long b = at[20] - before;
        assertTrue(aLast >= TimeUnit.MILLISECONDS.toNanos(1500), "A's 20 at 10/s take about 2 s: " + aLast);
        assertTrue(b < TimeUnit.MILLISECONDS.toNanos(500), "B's one goes at once, on its own cap: " + b);
    }

    @Test
    void oneAccountKeepsTheSingleAccountWorkersKeys() throws Exception {
        Recording buckets = new Recording();
        AccountPacers pacers = AccountPacers.single(new Pacer(PacingSettings.defaults(), buckets, A.value()));

        pacers.reserve(List.of(pacers.pace(A, NUMBER, 1)));

        assertEquals(Set.of("account:" + A, "sender:+15005550006"), buckets.keys);
    }
}
