package org.twiliochannels.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import org.twiliochannels.core.MessageSid;

/**
 * The account's message log: every message created through the API or seeded by a test, in order
 * of arrival, and its listing newest first by {@code date_created} (ties: the later arrival first),
 * page by page. Thread-safe: one lock, held briefly.
 */
final class MessageStore {
    private static final Comparator<StoredMessage> NEWEST_FIRST =
            Comparator.comparing(StoredMessage::dateCreated).thenComparingLong(StoredMessage::seq).reversed();

    private final Object lock = new Object();
    private final Map<MessageSid, StoredMessage> bySid = new HashMap<>();
    private final List<StoredMessage> arrivals = new ArrayList<>();

    /** Stores the message {@code make} builds for the next place in the order of arrival. */
    StoredMessage add(LongFunction<StoredMessage> make) {
        synchronized (lock) {
            StoredMessage m = make.apply(arrivals.size());
            bySid.put(m.sid(), m);
            arrivals.add(m);
            return m;
        }
    }

    /** The message with this SID, as it is now. */
    Optional<StoredMessage> get(MessageSid sid) {
        synchronized (lock) {
            return Optional.ofNullable(bySid.get(sid));
        }
    }

    /**
     * Replaces the message with what {@code change} makes of it.
     *
     * @return the message as it is after the change, or empty when there is none with this SID
     */
    Optional<StoredMessage> update(MessageSid sid, UnaryOperator<StoredMessage> change) {
        synchronized (lock) {
            StoredMessage old = bySid.get(sid);
            if (old == null) {
                return Optional.empty();
            }
            StoredMessage now = change.apply(old);
            bySid.put(sid, now);
            arrivals.set((int) old.seq(), now);
            return Optional.of(now);
        }
    }

    /** Every message, in order of arrival. */
    List<StoredMessage> all() {
        synchronized (lock) {
            return List.copyOf(arrivals);
        }
    }

    /** The page of the log {@code query} asks for. */
    ListPage page(ListQuery query) {
        List<StoredMessage> matched;
        synchronized (lock) {
            matched = arrivals.stream().filter(query::matches).sorted(NEWEST_FIRST).toList();
        }
        int begin = query.page * query.pageSize;
        if (query.pageToken.isPresent()) {
            String token = query.pageToken.get();
            int at = indexOf(matched, token.substring(2));
            if (at >= 0) {
                begin = token.startsWith("PA") ? at + 1 : Math.max(0, at - query.pageSize);
            }
        }
        begin = Math.min(begin, matched.size());
        int end = Math.min(begin + query.pageSize, matched.size());
        return new ListPage(matched.subList(begin, end), begin, end < matched.size());
    }

    private static int indexOf(List<StoredMessage> messages, String sid) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).sid().value().equals(sid)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One page of a listing.
     *
     * @param items   the messages on it, newest first
     * @param start   the position of its first message in the whole listing
     * @param hasNext whether older messages follow
     */
    record ListPage(List<StoredMessage> items, int start, boolean hasNext) {
        /** The token of the page after this one. */
        Optional<String> nextToken() {
            return hasNext && !items.isEmpty() ? Optional.of("PA" + items.get(items.size() - 1).sid().value())
                    : Optional.empty();
        }

        /** The token of the page before this one. */
        Optional<String> previousToken() {
            return start > 0 && !items.isEmpty() ? Optional.of("PB" + items.get(0).sid().value()) : Optional.empty();
        }
    }
}
