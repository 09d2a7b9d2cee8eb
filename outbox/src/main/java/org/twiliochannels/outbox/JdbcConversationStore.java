package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The conversation tables' statements on PostgreSQL or H2; what differs is asked of the
 * {@link Dialect}. Used by {@link JdbcOutboxStore} only. Thread-safe.
 */
final class JdbcConversationStore implements ConversationStore {
    private static final String OPEN = "'" + QuestionState.OPEN.dbName() + "'";
    private static final String COLUMNS = "id, channel, person, sender, question, data, state, asked_at, timeout_at,"
            + " failures";

    private final DataSource dataSource;
    private final Supplier<Dialect> dialect;
    private final JdbcOutboxStore owner;
    private final String values;
    private final String questions;
    private final String inbound;
    private final String windows;

    JdbcConversationStore(DataSource dataSource, String prefix, Supplier<Dialect> dialect, JdbcOutboxStore owner) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.owner = owner;
        this.values = prefix + "conversation_value";
        this.questions = prefix + "conversation_question";
        this.inbound = prefix + "conversation_inbound";
        this.windows = prefix + "whatsapp_window";
    }

    @Override
    public <T> T inTransaction(Unit<T> unit) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = unit.run(c);
                c.commit();
                return result;
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (e instanceof SQLException sql) {
                    throw sql;
                }
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new ActionFailedException(e);
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) { // a broken connection: the pool discards it
                }
            }
        } catch (SQLException e) {
            throw owner.failed(e);
        }
    }

    // ---- values

    @Override
    public Optional<String> value(Connection c, Conversation conv, String name, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT text_value FROM " + values + " WHERE channel = ? AND person = ?"
                + " AND sender = ? AND name = ? AND expires_at > ?")) {
            int i = bind(p, 1, conv);
            p.setString(i, name);
            p.setTimestamp(i + 1, JdbcOutboxStore.ts(now));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void putValue(Connection c, Conversation conv, String name, String value, Instant expiresAt, Instant now)
            throws SQLException {
        String sql = dialect.get().upsert(values, List.of("channel", "person", "sender", "name"),
                List.of("text_value", "expires_at", "updated_at"));
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = bind(p, 1, conv);
            p.setString(i, name);
            p.setString(i + 1, value);
            p.setTimestamp(i + 2, JdbcOutboxStore.ts(expiresAt));
            p.setTimestamp(i + 3, JdbcOutboxStore.ts(now));
            p.executeUpdate();
        }
    }

    @Override
    public boolean removeValue(Connection c, Conversation conv, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + values + " WHERE channel = ? AND person = ?"
                + " AND sender = ? AND name = ?")) {
            p.setString(bind(p, 1, conv), name);
            return p.executeUpdate() > 0;
        }
    }

    // ---- questions

    @Override
    public long insertQuestion(Connection c, Conversation conv, String question, String data, Instant askedAt,
                               Instant timeoutAt) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + questions + " (channel, person, sender, question,"
                + " data, state, asked_at, timeout_at, failures) VALUES (?, ?, ?, ?, ?, " + OPEN + ", ?, ?, 0)",
                new String[] {"id"})) {
            int i = bind(p, 1, conv);
            p.setString(i, question);
            p.setString(i + 1, data);
            p.setTimestamp(i + 2, JdbcOutboxStore.ts(askedAt));
            p.setTimestamp(i + 3, JdbcOutboxStore.ts(timeoutAt));
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for the question inserted");
                }
                return keys.getLong(1);
            }
        }
    }

    @Override
    public Optional<QuestionRow> newestOpen(Connection c, Conversation conv, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + questions + " WHERE channel = ?"
                + " AND person = ? AND sender = ? AND state = " + OPEN + " AND timeout_at > ?"
                + " ORDER BY asked_at DESC, id DESC LIMIT 1 FOR UPDATE")) {
            p.setTimestamp(bind(p, 1, conv), JdbcOutboxStore.ts(now));
            return one(p);
        }
    }

    @Override
    public List<AskedQuestion> open(Connection c, Conversation conv) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + questions + " WHERE channel = ?"
                + " AND person = ? AND sender = ? AND state = " + OPEN + " ORDER BY asked_at DESC, id DESC")) {
            bind(p, 1, conv);
            List<AskedQuestion> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs).question());
                }
            }
            return out;
        }
    }

    @Override
    public Optional<QuestionRow> question(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + questions + " WHERE id = ?")) {
            p.setLong(1, id);
            return one(p);
        }
    }

    @Override
    public boolean close(Connection c, long id, QuestionState state, String answerSid, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + questions + " SET state = ?, answer_sid = ?,"
                + " closed_at = ? WHERE id = ? AND state = " + OPEN)) {
            p.setString(1, state.dbName());
            p.setString(2, answerSid);
            p.setTimestamp(3, JdbcOutboxStore.ts(now));
            p.setLong(4, id);
            return p.executeUpdate() == 1;
        }
    }

    @Override
    public int cancelOpen(Connection c, Conversation conv, long except, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + questions + " SET state = '"
                + QuestionState.CANCELLED.dbName() + "', closed_at = ? WHERE channel = ? AND person = ? AND sender = ?"
                + " AND state = " + OPEN + " AND id <> ?")) {
            p.setTimestamp(1, JdbcOutboxStore.ts(now));
            p.setLong(bind(p, 2, conv), except);
            return p.executeUpdate();
        }
    }

    @Override
    public Optional<QuestionRow> claimDue(Connection c, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM " + questions + " WHERE state = "
                + OPEN + " AND timeout_at <= ? ORDER BY timeout_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            p.setTimestamp(1, JdbcOutboxStore.ts(now));
            return one(p);
        }
    }

    @Override
    public void postpone(Connection c, long id, Instant next, int failures) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + questions + " SET timeout_at = ?, failures = ?"
                + " WHERE id = ? AND state = " + OPEN)) {
            p.setTimestamp(1, JdbcOutboxStore.ts(next));
            p.setInt(2, failures);
            p.setLong(3, id);
            p.executeUpdate();
        }
    }

    // ---- inbound messages

    @Override
    public boolean firstDelivery(Connection c, String messageSid, Instant now) throws SQLException {
        Timestamp at = JdbcOutboxStore.ts(now);
        return dialect.get().insertSkippingDuplicates(c, "INSERT INTO " + inbound + " (message_sid, received_at)"
                + " VALUES (?, ?)", "message_sid", List.of(messageSid), (p, sid) -> {
                    p.setString(1, sid);
                    p.setTimestamp(2, at);
                }) == 1;
    }

    // ---- WhatsApp windows

    @Override
    public void inbound(Connection c, String person, String sender, Instant at) throws SQLException {
        windowTime(c, "last_inbound_at", person, sender, at);
    }

    @Override
    public void refused(Connection c, String person, String sender, Instant at) throws SQLException {
        windowTime(c, "refused_at", person, sender, at);
    }

    private void windowTime(Connection c, String column, String person, String sender, Instant at) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(dialect.get().upsert(windows, List.of("person", "sender"),
                List.of(column)))) {
            p.setString(1, person);
            p.setString(2, sender);
            p.setTimestamp(3, JdbcOutboxStore.ts(at));
            p.executeUpdate();
        }
    }

    @Override
    public Optional<WindowTimes> window(Connection c, String person, String sender) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT last_inbound_at, refused_at FROM " + windows
                + " WHERE person = ? AND sender = ?")) {
            p.setString(1, person);
            p.setString(2, sender);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new WindowTimes(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))));
            }
        }
    }

    // ---- retention

    @Override
    public int purge(Connection c, Instant before) throws SQLException {
        Timestamp t = JdbcOutboxStore.ts(before);
        int n = 0;
        Map<String, Integer> deletes = new LinkedHashMap<>(); // each statement and how many times it binds the time
        deletes.put("DELETE FROM " + values + " WHERE expires_at <= ?", 1);
        deletes.put("DELETE FROM " + questions + " WHERE state <> " + OPEN + " AND closed_at < ?", 1);
        deletes.put("DELETE FROM " + inbound + " WHERE received_at < ?", 1);
        deletes.put("DELETE FROM " + windows + " WHERE (last_inbound_at IS NULL OR last_inbound_at < ?)"
                + " AND (refused_at IS NULL OR refused_at < ?)", 2);
        for (Map.Entry<String, Integer> delete : deletes.entrySet()) {
            try (PreparedStatement p = c.prepareStatement(delete.getKey())) {
                for (int i = 1; i <= delete.getValue(); i++) {
                    p.setTimestamp(i, t);
                }
                n += p.executeUpdate();
            }
        }
        return n;
    }

    // ---- rows

    private static int bind(PreparedStatement p, int from, Conversation conv) throws SQLException {
        p.setString(from, conv.channel());
        p.setString(from + 1, conv.person());
        p.setString(from + 2, conv.sender());
        return from + 3;
    }

    private static Optional<QuestionRow> one(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static QuestionRow read(ResultSet rs) throws SQLException {
        AskedQuestion q = new AskedQuestion(rs.getLong(1), new Conversation(rs.getString(2), rs.getString(3),
                rs.getString(4)), rs.getString(5), rs.getString(6), QuestionState.fromDb(rs.getString(7)),
                rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant());
        return new QuestionRow(q, rs.getInt(10));
    }

    private static Optional<Instant> instant(Timestamp t) {
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    @Override
    public String toString() {
        return "JdbcConversationStore[" + questions + "]";
    }
}
