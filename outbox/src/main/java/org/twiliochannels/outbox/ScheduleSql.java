package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.schedule.MessageCategory;

/**
 * The statements that change a message by its key (cancel, reschedule) and those of the claim's
 * checks (diversions, frequency caps and duplicates), for {@link JdbcOutboxStore}; on
 * {@code <prefix>outbox_message}, its history and {@code <prefix>outbox_recipient_lock}.
 */
final class ScheduleSql {
    private final JdbcOutboxStore store;
    private final String messages;
    private final String locks;

    ScheduleSql(JdbcOutboxStore store, String prefix) {
        this.store = store;
        this.messages = prefix + "outbox_message";
        this.locks = prefix + "outbox_recipient_lock";
    }

    /** A change by key: the row locked, then changed only while its attempt has not started. */
    private Optional<KeyedChange> byKey(String key, OutboxState to, Instant due, EventKind kind, String detail,
                                        Instant now) {
        return store.inTransaction(c -> {
            long id;
            OutboxState state;
            String sid;
            Instant dueAt;
            try (PreparedStatement p = c.prepareStatement("SELECT id, state, sid, next_attempt_at FROM " + messages
                    + " WHERE caller_key = ? FOR UPDATE")) {
                p.setString(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getLong(1);
                    state = OutboxState.fromDb(rs.getString(2));
                    sid = rs.getString(3);
                    dueAt = rs.getTimestamp(4).toInstant();
                }
            }
            if (state != OutboxState.QUEUED && state != OutboxState.CLAIMED) {
                return Optional.of(new KeyedChange(key, false, state, Optional.ofNullable(sid).map(MessageSid::of),
                        state == OutboxState.QUEUED ? Optional.of(dueAt) : Optional.empty()));
            }
            Timestamp at = JdbcOutboxStore.ts(now);
            // a claimed row loses its lease token: the worker's attempt, held only where the token is, never starts
            try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET state = ?, next_attempt_at = ?,"
                    + " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?")) {
                p.setString(1, to.dbName());
                p.setTimestamp(2, JdbcOutboxStore.ts(due));
                p.setTimestamp(3, at);
                p.setLong(4, id);
                p.executeUpdate();
            }
            store.insertEvents(c, List.of(new JdbcOutboxStore.Event(id, null, now, kind, null, null, detail)));
            return Optional.of(new KeyedChange(key, true, to, Optional.empty(),
                    to == OutboxState.QUEUED ? Optional.of(JdbcOutboxStore.ts(due).toInstant()) : Optional.empty()));
        });
    }

    Optional<KeyedChange> cancel(String key, Instant now) {
        return byKey(key, OutboxState.CANCELED, now, EventKind.CANCELED, "canceled by its key", now);
    }

    Optional<KeyedChange> reschedule(String key, Instant due, Instant now) {
        return byKey(key, OutboxState.QUEUED, due, EventKind.RESCHEDULED, "due " + due, now);
    }

    boolean[] divert(List<OutboxStore.Diversion> diversions, String worker, Instant now) {
        boolean[] done = new boolean[diversions.size()];
        if (diversions.isEmpty()) {
            return done;
        }
        return store.inTransaction(c -> {
            Timestamp at = JdbcOutboxStore.ts(now);
            try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET state = ?, next_attempt_at = ?,"
                    + " error_message = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,"
                    + " updated_at = ? WHERE id = ? AND lease_token = ?")) {
                for (OutboxStore.Diversion d : diversions) {
                    p.setString(1, d.state().dbName());
                    p.setTimestamp(2, JdbcOutboxStore.ts(d.due()));
                    JdbcOutboxStore.setNullable(p, 3, d.state() == OutboxState.QUEUED ? null
                            : JdbcOutboxStore.truncate(d.detail()));
                    p.setTimestamp(4, at);
                    p.setLong(5, d.claim().id());
                    p.setString(6, d.claim().token());
                    p.addBatch();
                }
                int[] n = p.executeBatch();
                List<JdbcOutboxStore.Event> entries = new ArrayList<>();
                for (int i = 0; i < n.length; i++) {
                    OutboxStore.Diversion d = diversions.get(i);
                    done[i] = n[i] == 1;
                    if (done[i]) {
                        entries.add(new JdbcOutboxStore.Event(d.claim().id(), null, now, d.kind(), worker,
                                d.claim().attempts(), d.detail()));
                    }
                }
                store.insertEvents(c, entries);
            }
            return done;
        });
    }

    boolean[] checkRecent(List<Claim> claims, Instant since, Instant now,
                          Function<List<OutboxStore.Recent>, boolean[]> judge) {
        if (claims.isEmpty()) {
            return new boolean[0];
        }
        TreeSet<String> recipients = new TreeSet<>();
        for (Claim cl : claims) {
            recipients.add(cl.message().to().value());
        }
        List<String> sorted = List.copyOf(recipients);
        return store.inTransaction(c -> {
            lock(c, sorted);
            List<OutboxStore.Recent> recent = recent(c, sorted, claims, since);
            boolean[] pass = judge.apply(recent);
            try (PreparedStatement p = c.prepareStatement("UPDATE " + messages + " SET checked_at = ?"
                    + " WHERE id = ? AND lease_token = ?")) {
                boolean any = false;
                for (int i = 0; i < claims.size(); i++) {
                    if (pass[i]) {
                        p.setTimestamp(1, JdbcOutboxStore.ts(now));
                        p.setLong(2, claims.get(i).id());
                        p.setString(3, claims.get(i).token());
                        p.addBatch();
                        any = true;
                    }
                }
                if (any) {
                    p.executeBatch();
                }
            }
            return pass;
        });
    }

    /** One lock row per recipient, added when missing, then locked in order (no two checks wait on each other). */
    private void lock(Connection c, List<String> recipients) throws SQLException {
        store.dialect().insertSkippingDuplicates(c, "INSERT INTO " + locks + " (recipient) VALUES (?)", "recipient",
                recipients, (p, r) -> p.setString(1, r));
        try (PreparedStatement p = c.prepareStatement("SELECT recipient FROM " + locks + " WHERE recipient IN ("
                + "?, ".repeat(recipients.size() - 1) + "?) ORDER BY recipient FOR UPDATE")) {
            for (int i = 0; i < recipients.size(); i++) {
                p.setString(i + 1, recipients.get(i));
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                }
            }
        }
    }

    private List<OutboxStore.Recent> recent(Connection c, List<String> recipients, List<Claim> claims, Instant since)
            throws SQLException {
        List<Long> own = claims.stream().map(Claim::id).toList();
        List<OutboxStore.Recent> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, recipient, category, fingerprint, checked_at FROM "
                + messages + " WHERE recipient IN (" + "?, ".repeat(recipients.size() - 1) + "?) AND checked_at > ?")) {
            int i = 1;
            for (String r : recipients) {
                p.setString(i++, r);
            }
            p.setTimestamp(i, JdbcOutboxStore.ts(since));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (own.contains(id)) {
                        continue;
                    }
                    String category = rs.getString(3);
                    out.add(new OutboxStore.Recent(id, rs.getString(2), category == null ? MessageCategory.TRANSACTIONAL
                            : MessageCategory.valueOf(category), rs.getString(4), rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }
}
