package org.twiliochannels.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.twiliochannels.core.schedule.FrequencyCap;

/**
 * The checks a claimed batch goes through before any of it is sent, in this order, each asked of
 * the database once per batch: the recipient's consent in force for the message's sender (opted
 * out: ends {@link OutboxState#OPTED_OUT}); quiet hours in the recipient's zone (closed: queued
 * again, due when the window opens); the duplicate window and the frequency cap of its category
 * (a duplicate ends {@link OutboxState#DUPLICATE}; over the cap it is queued again, due when the
 * cap allows it). A message a dead worker had started to send is not checked again: it is settled
 * from Twilio's log first. No SQL here: the store runs it.
 */
final class ClaimCheck {
    private final OutboxStore store;
    private final SendRules rules;
    private final Function<Claim, Optional<OutboxStore.ConsentKey>> consentKey;
    private final String worker;
    private final Clock clock;

    ClaimCheck(OutboxStore store, SendRules rules, Function<Claim, Optional<OutboxStore.ConsentKey>> consentKey,
               String worker, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.consentKey = consentKey;
        this.worker = worker;
        this.clock = clock;
    }

    /** The claims of {@code batch} that may be sent now; the others are written as held or ended. */
    List<Claim> admit(List<Claim> batch) {
        Instant now = clock.instant();
        List<Claim> fresh = batch.stream().filter(c -> !c.wasSending()).toList();
        if (fresh.isEmpty()) {
            return batch;
        }
        List<OutboxStore.Diversion> diverted = new ArrayList<>();
        Set<Long> out = new HashSet<>();
        optedOut(fresh, now, diverted, out);
        List<Claim> gated = new ArrayList<>();
        for (Claim c : fresh) {
            if (out.contains(c.id())) {
                continue;
            }
            Instant due;
            try {
                due = rules.dueAt(c.message().to(), c.category(), c.timeZone(), now);
            } catch (IllegalArgumentException e) {
                diverted.add(new OutboxStore.Diversion(c, OutboxState.REJECTED, now, EventKind.REJECTED,
                        "not sent: " + e.getMessage()));
                out.add(c.id());
                continue;
            }
            if (due.isAfter(now)) {
                diverted.add(new OutboxStore.Diversion(c, OutboxState.QUEUED, due, EventKind.HELD, "quiet hours: "
                        + c.category() + " messages go only " + rules.quietHours().window(c.message().to(), c.category())
                        + " in the recipient's local time; due " + due));
                out.add(c.id());
            } else if (rules.checksRecent(c)) {
                gated.add(c);
            }
        }
        if (!gated.isEmpty()) {
            gated.sort(Comparator.comparingLong(Claim::id));
            OutboxStore.Diversion[] verdicts = new OutboxStore.Diversion[gated.size()];
            store.checkRecent(gated, now.minus(rules.lookback()), now, recent -> judge(gated, recent, now, verdicts));
            for (OutboxStore.Diversion d : verdicts) {
                if (d != null) {
                    diverted.add(d);
                    out.add(d.claim().id());
                }
            }
        }
        if (diverted.isEmpty()) {
            return batch;
        }
        store.divert(diverted, worker, now); // one whose lease was lost meanwhile is not sent either
        return batch.stream().filter(c -> !out.contains(c.id())).toList();
    }

    private void optedOut(List<Claim> fresh, Instant now, List<OutboxStore.Diversion> diverted, Set<Long> out) {
        Map<Long, OutboxStore.ConsentKey> keys = new HashMap<>();
        for (Claim c : fresh) {
            consentKey.apply(c).ifPresent(k -> keys.put(c.id(), k));
        }
        Map<OutboxStore.ConsentKey, Instant> opted = store.optedOut(new HashSet<>(keys.values()));
        if (opted.isEmpty()) {
            return;
        }
        for (Claim c : fresh) {
            OutboxStore.ConsentKey k = keys.get(c.id());
            Instant since = k == null ? null : opted.get(k);
            if (since != null) {
                diverted.add(new OutboxStore.Diversion(c, OutboxState.OPTED_OUT, now, EventKind.OPTED_OUT,
                        "not sent: the recipient " + c.message().to().masked() + " opted out in " + k.scope() + " at "
                                + since + "; no request was made"));
                out.add(c.id());
            }
        }
    }

    /** Decides each gated claim in id order, counting those of the batch that pass before it; null: it passes. */
    private boolean[] judge(List<Claim> gated, List<OutboxStore.Recent> recent, Instant now,
                            OutboxStore.Diversion[] verdicts) {
        Map<String, List<OutboxStore.Recent>> byRecipient = new HashMap<>();
        for (OutboxStore.Recent r : recent) {
            byRecipient.computeIfAbsent(r.recipient(), k -> new ArrayList<>()).add(r);
        }
        boolean[] pass = new boolean[gated.size()];
        Instant dupSince = now.minus(rules.duplicateWindow());
        for (int i = 0; i < gated.size(); i++) {
            Claim c = gated.get(i);
            List<OutboxStore.Recent> earlier = byRecipient.computeIfAbsent(c.message().to().value(),
                    k -> new ArrayList<>());
            String print = c.fingerprint().orElse(null);
            FrequencyCap cap = rules.caps().get(c.category());
            if (!rules.duplicateWindow().isZero() && print != null && earlier.stream().anyMatch(
                    r -> print.equals(r.fingerprint()) && r.checkedAt().isAfter(dupSince))) {
                verdicts[i] = new OutboxStore.Diversion(c, OutboxState.DUPLICATE, now, EventKind.DUPLICATE,
                        "not sent: the same content went to " + c.message().to().masked() + " within "
                                + rules.duplicateWindow() + "; no request was made");
                continue;
            }
            if (cap != null) {
                Instant next = cap.nextAllowed(earlier.stream().filter(r -> r.category() == c.category())
                        .map(OutboxStore.Recent::checkedAt).toList(), now);
                if (next.isAfter(now)) {
                    verdicts[i] = new OutboxStore.Diversion(c, OutboxState.QUEUED, next, EventKind.HELD,
                            "frequency cap: " + cap + "; due " + next);
                    continue;
                }
            }
            pass[i] = true;
            earlier.add(new OutboxStore.Recent(c.id(), c.message().to().value(), c.category(), print, now));
        }
        return pass;
    }
}
