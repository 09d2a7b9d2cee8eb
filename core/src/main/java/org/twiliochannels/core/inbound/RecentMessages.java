package org.twiliochannels.core.inbound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The message SIDs an {@link InboundRouter} handled lately, with the answer each got, so that a
 * delivery Twilio repeats gets the same answer without running anything again. Bounded: past
 * {@code capacity} SIDs the oldest is forgotten. In memory, per router: a second instance behind
 * a load balancer does not see these (the conversation store keeps them in the database).
 */
final class RecentMessages {
    private final int capacity;
    /** SID to the answer given; null while the first delivery is being handled. */
    private final Map<String, InboundReply> answers;

    RecentMessages(int capacity) {
        this.capacity = capacity;
        this.answers = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, InboundReply> eldest) {
                return size() > RecentMessages.this.capacity;
            }
        };
    }

    /**
     * Empty for a SID not seen (now marked as being handled); else the answer the first delivery
     * got, or {@link InboundReply#none()} while it is still being handled.
     */
    synchronized Optional<InboundReply> begin(String sid) {
        if (answers.containsKey(sid)) {
            InboundReply earlier = answers.get(sid);
            return Optional.of(earlier == null ? InboundReply.none() : earlier);
        }
        answers.put(sid, null);
        return Optional.empty();
    }

    /** Keeps the answer a SID got. */
    synchronized void finish(String sid, InboundReply reply) {
        answers.put(sid, reply);
    }

    /** Forgets a SID, so that a repeated delivery is handled again. */
    synchronized void forget(String sid) {
        answers.remove(sid);
    }

    synchronized int size() {
        return answers.size();
    }
}
