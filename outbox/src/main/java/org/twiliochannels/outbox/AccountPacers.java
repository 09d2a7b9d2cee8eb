package org.twiliochannels.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.pacing.Pace;
import org.twiliochannels.core.pacing.Pacer;
import org.twiliochannels.core.spi.Sender;

/**
 * The pacing of a worker's accounts: one {@link Pacer} per account (its cap in bucket
 * {@code account:<sid>}), created on first use. For a worker of many accounts a sender's bucket is
 * the account's too ({@code sender:<sid>/<number>}), and a batch's messages are reserved per
 * account; for one account the keys are those of the single-account worker (no account in them).
 */
final class AccountPacers {
    private final Function<String, Pacer> create;
    private final Pacer single;
    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();

    private AccountPacers(Pacer single, Function<String, Pacer> create) {
        this.single = single;
        this.create = create;
    }

    /** The pacing of one account: {@code pacer}'s keys as they are. */
    static AccountPacers single(Pacer pacer) {
        return new AccountPacers(pacer, null);
    }

    /** The pacing of many accounts, each account's {@link Pacer} made by {@code create} from its SID. */
    static AccountPacers perAccount(Function<String, Pacer> create) {
        return new AccountPacers(null, create);
    }

    /** The pace of a message of {@code account} from {@code sender}. */
    Pace pace(AccountSid account, Sender sender, int segments) {
        if (single != null) {
            return single.pace(sender, segments);
        }
        Pace p = pacer(account.value()).pace(sender, segments);
        return new Pace(account.value() + "/" + p.sender(), p.rate(), p.segments());
    }

    /** A pace for a message whose sender is unknown (it will not be sent: the send reports why). */
    Pace unknownSender(AccountSid account, String channel, int segments) {
        String key = "channel:" + channel;
        return new Pace(single != null ? key : account.value() + "/" + key, 1, segments);
    }

    /** When each message of {@code batch} may go ({@link Pacer#reserve(List)}), each against its own account's cap. */
    long[] reserve(List<Pace> batch) throws InterruptedException {
        if (single != null) {
            return single.reserve(batch);
        }
        Map<String, List<Integer>> byAccount = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String key = batch.get(i).sender();
            byAccount.computeIfAbsent(key.substring(0, key.indexOf('/')), k -> new ArrayList<>()).add(i);
        }
        long[] at = new long[batch.size()];
        for (Map.Entry<String, List<Integer>> e : byAccount.entrySet()) {
            List<Pace> part = e.getValue().stream().map(batch::get).toList();
            long[] times = pacer(e.getKey()).reserve(part);
            for (int k = 0; k < times.length; k++) {
                at[e.getValue().get(k)] = times[k];
            }
        }
        return at;
    }

    private Pacer pacer(String account) {
        return pacers.computeIfAbsent(account, create);
    }
}
