package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.ConsentState;

/**
 * The statements on the consent tables, for {@link JdbcOutboxStore}: {@code <prefix>consent_change}
 * (every change, never updated) and {@code <prefix>consent_current} (the change in force per scope
 * and recipient, kept in the same transaction as the change).
 */
final class ConsentSql {
    /** The most recipients one opt-out look-up names; a larger batch takes several. */
    static final int LOOKUP_CHUNK = 500;

    private static final String COLUMNS = "c.id, c.at, c.recipient, c.account, c.channel, c.sender, c.state, c.source,"
            + " c.keyword, c.message_sid, c.who, c.note";

    private final JdbcOutboxStore store;
    private final String changes;
    private final String current;

    ConsentSql(JdbcOutboxStore store, String prefix) {
        this.store = store;
        this.changes = prefix + "consent_change";
        this.current = prefix + "consent_current";
    }

    void record(ConsentChange change) {
        store.inTransaction(c -> {
            long id = insertChange(c, change);
            String scope = change.scope().key();
            String recipient = change.recipient().value();
            // the latest by time wins; of two at the same instant, the one recorded last
            if (updateCurrent(c, scope, recipient, change, id) == 0) {
                int added = store.dialect().insertSkippingDuplicates(c, "INSERT INTO " + current
                        + " (scope_key, recipient, state, at, change_id) VALUES (?, ?, ?, ?, ?)", "scope_key, recipient",
                        List.of(change), (p, ch) -> {
                            p.setString(1, scope);
                            p.setString(2, recipient);
                            p.setString(3, ch.state().name());
                            p.setTimestamp(4, JdbcOutboxStore.ts(ch.at()));
                            p.setLong(5, id);
                        });
                if (added == 0) { // the row is there (another instance added it meanwhile, or it is later)
                    updateCurrent(c, scope, recipient, change, id);
                }
            }
            return null;
        });
    }

    private long insertChange(Connection c, ConsentChange change) throws SQLException {
        String keyword = null;
        String sid = null;
        String who = null;
        String note = null;
        if (change.source() instanceof ConsentSource.Keyword k) {
            keyword = k.keyword();
            sid = k.messageSid().value();
        } else if (change.source() instanceof ConsentSource.Api a) {
            who = a.who();
            note = a.note();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + changes + " (at, recipient, scope_key, account,"
                + " channel, sender, state, source, keyword, message_sid, who, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setTimestamp(1, JdbcOutboxStore.ts(change.at()));
            p.setString(2, change.recipient().value());
            p.setString(3, change.scope().key());
            p.setString(4, change.scope().account().value());
            p.setString(5, change.scope().channel());
            p.setString(6, change.scope().sender());
            p.setString(7, change.state().name());
            p.setString(8, change.source().kind());
            JdbcOutboxStore.setNullable(p, 9, keyword);
            JdbcOutboxStore.setNullable(p, 10, sid);
            JdbcOutboxStore.setNullable(p, 11, who);
            JdbcOutboxStore.setNullable(p, 12, note);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private int updateCurrent(Connection c, String scope, String recipient, ConsentChange change, long id)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + current + " SET state = ?, at = ?, change_id = ?"
                + " WHERE scope_key = ? AND recipient = ? AND (at < ? OR (at = ? AND change_id < ?))")) {
            p.setString(1, change.state().name());
            p.setTimestamp(2, JdbcOutboxStore.ts(change.at()));
            p.setLong(3, id);
            p.setString(4, scope);
            p.setString(5, recipient);
            p.setTimestamp(6, JdbcOutboxStore.ts(change.at()));
            p.setTimestamp(7, JdbcOutboxStore.ts(change.at()));
            p.setLong(8, id);
            int n = p.executeUpdate();
            if (n == 0) {
                try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM " + current
                        + " WHERE scope_key = ? AND recipient = ?")) {
                    q.setString(1, scope);
                    q.setString(2, recipient);
                    try (ResultSet rs = q.executeQuery()) {
                        return rs.next() ? -1 : 0; // -1: there, and later than this change
                    }
                }
            }
            return n;
        }
    }

    Optional<ConsentChange> inForce(ConsentScope scope, Address recipient) {
        List<ConsentChange> found = query("SELECT " + COLUMNS + " FROM " + current + " k JOIN " + changes
                + " c ON c.id = k.change_id WHERE k.scope_key = ? AND k.recipient = ?", scope.key(), recipient.value());
        return found.stream().findFirst();
    }

    List<ConsentChange> history(Address recipient) {
        return query("SELECT " + COLUMNS + " FROM " + changes + " c WHERE c.recipient = ? ORDER BY c.at, c.id",
                recipient.value());
    }

    List<ConsentChange> current() {
        return query("SELECT " + COLUMNS + " FROM " + current + " k JOIN " + changes
                + " c ON c.id = k.change_id ORDER BY k.scope_key, k.recipient");
    }

    List<ConsentChange> changes() {
        return query("SELECT " + COLUMNS + " FROM " + changes + " c ORDER BY c.at, c.id");
    }

    Map<OutboxStore.ConsentKey, Instant> optedOut(Collection<OutboxStore.ConsentKey> keys) {
        Map<OutboxStore.ConsentKey, Instant> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        List<String> recipients = keys.stream().map(OutboxStore.ConsentKey::recipient).distinct().toList();
        // read-only, each query consistent on its own: no BEGIN/COMMIT round trips on the claim's path
        store.inOneStatement(c -> {
            for (int from = 0; from < recipients.size(); from += LOOKUP_CHUNK) {
                List<String> chunk = recipients.subList(from, Math.min(recipients.size(), from + LOOKUP_CHUNK));
                try (PreparedStatement p = c.prepareStatement("SELECT scope_key, recipient, at FROM " + current
                        + " WHERE recipient IN (" + "?, ".repeat(chunk.size() - 1) + "?) AND state = ?")) {
                    int i = 1;
                    for (String r : chunk) {
                        p.setString(i++, r);
                    }
                    p.setString(i, ConsentState.OPTED_OUT.name());
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            OutboxStore.ConsentKey k = new OutboxStore.ConsentKey(rs.getString(1), rs.getString(2));
                            if (keys.contains(k)) {
                                out.put(k, rs.getTimestamp(3).toInstant());
                            }
                        }
                    }
                }
            }
            return null;
        });
        return out;
    }

    private List<ConsentChange> query(String sql, String... parameters) {
        return store.inTransaction(c -> {
            List<ConsentChange> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    p.setString(i + 1, parameters[i]);
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    private static ConsentChange read(ResultSet rs) throws SQLException {
        ConsentScope scope = new ConsentScope(AccountSid.of(rs.getString(4)), rs.getString(5), rs.getString(6));
        ConsentSource source = switch (rs.getString(8)) {
            case "keyword" -> new ConsentSource.Keyword(rs.getString(9), MessageSid.of(rs.getString(10)));
            case "error-21610" -> new ConsentSource.Error21610();
            default -> new ConsentSource.Api(rs.getString(11), rs.getString(12) == null ? "" : rs.getString(12));
        };
        return new ConsentChange(Address.parse(rs.getString(3)), scope, ConsentState.valueOf(rs.getString(7)), source,
                rs.getTimestamp(2).toInstant());
    }
}
