package org.twiliochannels.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.content.ApprovalStatus;

/** The fake account's Content resources and their WhatsApp approvals, in order of creation. Thread-safe. */
final class ContentStore {
    /**
     * One Content resource.
     *
     * @param body     what the create request gave ({@code friendly_name}, {@code language}, {@code variables}, {@code types})
     * @param name     the approval request's template name, absent before one
     * @param category the approval request's category, absent before one
     * @param reason   the rejection reason, empty unless rejected
     */
    record Entry(ContentSid sid, ObjectNode body, Instant created, Instant updated, Optional<String> name,
                 Optional<String> category, ApprovalStatus status, String reason) {
        String friendlyName() {
            return body.path("friendly_name").asText("");
        }

        String language() {
            return body.path("language").asText("");
        }

        Entry approval(ApprovalStatus next, String why, Instant now) {
            return new Entry(sid, body, created, now, name, category, next, why);
        }
    }

    private final Map<ContentSid, Entry> entries = new LinkedHashMap<>();

    synchronized Entry add(Entry e) {
        entries.put(e.sid(), e);
        return e;
    }

    synchronized Optional<Entry> get(ContentSid sid) {
        return Optional.ofNullable(entries.get(sid));
    }

    synchronized List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    /** The entry after {@code change}, or empty when there is no such resource. */
    synchronized Optional<Entry> update(ContentSid sid, UnaryOperator<Entry> change) {
        Entry e = entries.get(sid);
        if (e == null) {
            return Optional.empty();
        }
        Entry next = change.apply(e);
        entries.put(sid, next);
        return Optional.of(next);
    }
}
