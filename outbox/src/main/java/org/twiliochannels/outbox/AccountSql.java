package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox's statements about the account of each message (column {@code account_sid} of
 * {@code <prefix>outbox_message}, schema version 5), used only by {@link JdbcOutboxStore}: which
 * rows a single-account worker takes, and the fair claim of a worker for many accounts.
 */
final class AccountSql {
    private final String messages;

    AccountSql(String prefix) {
        this.messages = prefix + "outbox_message";
    }

    /**
     * The condition a claim of {@code scope} adds to its due rows, with one parameter (the account)
     * for a single-account worker: its rows and those naming no account; none otherwise.
     */
    String only(OutboxStore.AccountScope scope) {
        return scope.only().isPresent() ? " AND (account_sid IS NULL OR account_sid = ?)" : "";
    }

    /**
     * A fair claim, in the caller's transaction: the due rows that name an account, round-robin per
     * account (each account's oldest due row, then each one's second, …, up to the limit), locked
     * ({@code FOR UPDATE SKIP LOCKED}) and read in that order; the caller puts them under the lease.
     * The turns are chosen without locks, then each row is locked and its due condition checked
     * again, so that a row another worker took meanwhile is skipped. Reads every due row's index
     * entry once per claim (a window over them), never their messages.
     */
    List<Claim> claimFair(Connection c, OutboxStore.ClaimRequest r) throws SQLException {
        String due = "((state = ? AND next_attempt_at <= ?) OR (state IN (?, ?) AND lease_expires_at <= ?))";
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM (SELECT id, next_attempt_at,"
                + " ROW_NUMBER() OVER (PARTITION BY account_sid ORDER BY next_attempt_at, id) AS turn FROM " + messages
                + " WHERE account_sid IS NOT NULL AND " + due + ") t WHERE turn <= ?"
                + " ORDER BY turn, next_attempt_at, id LIMIT ?")) {
            int i = bindDue(p, 1, r);
            p.setInt(i++, r.limit());
            p.setInt(i, r.limit());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Integer> turn = new HashMap<>();
        for (int k = 0; k < ids.size(); k++) {
            turn.put(ids.get(k), k);
        }
        List<Claim> claims;
        try (PreparedStatement p = c.prepareStatement("SELECT " + JdbcOutboxStore.CLAIM_COLUMNS + " FROM " + messages
                + " WHERE id IN (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ") AND " + due
                + " FOR UPDATE SKIP LOCKED")) {
            int i = 1;
            for (long id : ids) {
                p.setLong(i++, id);
            }
            bindDue(p, i, r);
            try (ResultSet rs = p.executeQuery()) {
                claims = JdbcOutboxStore.readClaims(rs, r.token());
            }
        }
        claims.sort(Comparator.comparing(cl -> turn.get(cl.id())));
        return claims;
    }

    /** Sets the due condition's parameters from {@code from}; returns the next index. */
    private static int bindDue(PreparedStatement p, int from, OutboxStore.ClaimRequest r) throws SQLException {
        Timestamp now = JdbcOutboxStore.ts(r.now());
        p.setString(from, OutboxState.QUEUED.dbName());
        p.setTimestamp(from + 1, now);
        p.setString(from + 2, OutboxState.CLAIMED.dbName());
        p.setString(from + 3, OutboxState.SENDING.dbName());
        p.setTimestamp(from + 4, now);
        return from + 5;
    }
}
