package org.twiliochannels.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The deduplication keys of the most recent webhook deliveries, with the answer each got, so that
 * Twilio's repeated delivery of an event is answered the same way and published once. Bounded: the
 * oldest key is forgotten first. Thread-safe.
 */
final class RecentDeliveries {
    private static final String PENDING = "";

    private final Map<String, String> answers;

    RecentDeliveries(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("twilio.webhooks.deduplication-capacity must be at least 1, was "
                    + capacity);
        }
        this.answers = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Empty when {@code key} is new (it is now remembered, without an answer); otherwise the answer
     * the first delivery got (empty string while it is still being handled).
     */
    synchronized Optional<String> claim(String key) {
        String previous = answers.putIfAbsent(key, PENDING);
        return Optional.ofNullable(previous);
    }

    /** Records the answer the delivery of {@code key} got. */
    synchronized void answered(String key, String answer) {
        answers.replace(key, answer);
    }

    /** Forgets {@code key}: its handling failed, and Twilio's retry must be handled again. */
    synchronized void forget(String key) {
        answers.remove(key);
    }

    synchronized int size() {
        return answers.size();
    }
}
