package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessageStatus;

/** Claiming, attempts and outcome batches on a real PostgreSQL, with nothing sent: the store and the claimer alone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClaimerPostgresTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    static HikariDataSource pool;
    TestClock clock;
    String prefix;
    JdbcOutboxStore store;

    @BeforeAll
    static void database() {
        pool = EmbeddedPostgresSupport.pool(8);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
        prefix = "claim" + TABLES.incrementAndGet() + "_";
        store = new JdbcOutboxStore(pool, prefix);
        assertEquals(JdbcOutboxStore.VERSIONS.size(), store.migrate());
    }

    private Claimer claimer(String worker) {
        return new Claimer(store, worker, Duration.ofSeconds(30), clock);
    }

    private void enqueue(String... keys) {
        List<OutboxMessage> batch = new ArrayList<>();
        for (String k : keys) {
            batch.add(OutboxMessage.of("sms", Message.text("+14155550101", "for " + k), k));
        }
        assertEquals(keys.length, store.enqueue(batch, clock.instant()));
    }

    private long id(String key) {
        return store.find(OutboxStore.Lookup.KEY, key).orElseThrow().id();
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql.replace("$m",
                prefix + "outbox_message"))) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i] instanceof Instant t ? JdbcOutboxStore.ts(t) : args[i]);
            }
            p.executeUpdate();
        }
    }

    private String column(String key, String column) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement("SELECT " + column
                + " FROM " + prefix + "outbox_message WHERE caller_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void claimsDueRowsAndExpiredLeasesUnderOneNewToken() throws SQLException {
        enqueue("due", "later", "dead", "held");
        update("UPDATE $m SET next_attempt_at = ? WHERE caller_key = 'later'", clock.instant().plusSeconds(10));
        update("UPDATE $m SET state = 'sending', attempts = 1, lease_owner = 'gone', lease_token = 't0',"
                + " first_attempt_at = ?, lease_expires_at = ? WHERE caller_key = 'dead'",
                clock.instant().minusSeconds(40), clock.instant().minusSeconds(1));
        update("UPDATE $m SET state = 'claimed', lease_owner = 'other', lease_token = 't1', lease_expires_at = ?"
                + " WHERE caller_key = 'held'", clock.instant().plusSeconds(10));

        List<Claim> claims = claimer("worker-b").claim(10);
        assertEquals(List.of(id("due"), id("dead")), claims.stream().map(Claim::id).toList());
        Claim dead = claims.get(1);
        assertTrue(dead.wasSending());
        assertEquals(1, dead.attempts());
        assertEquals(Optional.of(clock.instant().minusSeconds(40)), dead.firstAttemptAt());
        assertEquals(Optional.of(clock.instant().minusSeconds(1)), dead.leaseExpiredAt());
        assertEquals(1, claims.stream().map(Claim::token).distinct().count());
        String token = claims.get(0).token();
        assertEquals("claimed", column("due", "state"));
        assertEquals("sending", column("dead", "state"), "a dead worker's message stays sending until settled");
        assertEquals(token, column("dead", "lease_token"));
        assertEquals("worker-b", column("due", "lease_owner"));
        assertEquals("other", column("held", "lease_owner"));
        assertEquals(List.of(), claimer("worker-c").claim(10), "nothing else is due");

        clock.advance(Duration.ofSeconds(10)); // worker-b's leases (30 s) still hold
        assertEquals(Set.of(id("later"), id("held")), new HashSet<>(claimer("worker-c").claim(10).stream()
                .map(Claim::id).toList()), "due later, and a lease that expired meanwhile");
    }

    @Test
    void skipsRowsAnotherTransactionHoldsLocked() throws SQLException {
        enqueue("locked", "free");
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM " + prefix + "outbox_message WHERE"
                    + " caller_key = 'locked' FOR UPDATE")) {
                p.executeQuery().close();
            }
            assertEquals(List.of(id("free")), claimer("worker-b").claim(10).stream().map(Claim::id).toList());
            c.commit();
        }
        assertEquals(List.of(id("locked")), claimer("worker-b").claim(10).stream().map(Claim::id).toList());
    }

    @Test
    void concurrentClaimersTakeDisjointRows() throws Exception {
        String[] keys = new String[300];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "m" + i;
        }
        enqueue(keys);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Claimer claimer = claimer("worker-" + t);
            threads.add(new Thread(() -> {
                for (List<Claim> batch = claimer.claim(7); !batch.isEmpty(); batch = claimer.claim(7)) {
                    batch.forEach(c -> {
                        if (!seen.add(c.id())) {
                            duplicates.incrementAndGet();
                        }
                    });
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, duplicates.get());
        assertEquals(300, seen.size());
        assertEquals(300L, store.counts(null).get(OutboxState.CLAIMED));
    }

    @Test
    void attemptsAndOutcomesOfABatchHoldOnlyWhereTheTokenIsStillThere() throws SQLException {
        enqueue("a", "b", "c");
        List<Claim> claims = claimer("worker-b").claim(10);
        update("UPDATE $m SET lease_token = 'taken-over' WHERE caller_key = 'b'");
        Instant now = clock.instant();
        List<OutboxStore.Attempt> attempts = claims.stream().map(c -> new OutboxStore.Attempt(c, 1, false, "worker-b",
                now, now.plusSeconds(30))).toList();
        assertArrayEquals(new boolean[] {true, false, true}, store.recordAttempts(attempts));
        assertEquals("sending", column("a", "state"));
        assertEquals("claimed", column("b", "state"));

        clock.advance(Duration.ofSeconds(1));
        List<Outcome> outcomes = List.of(
                Outcome.accepted(claims.get(0), EventKind.ACCEPTED, 1, "SM" + "a".repeat(32), MessageStatus.QUEUED,
                        OptionalInt.empty(), Optional.empty(), "queued"),
                Outcome.accepted(claims.get(1), EventKind.ACCEPTED, 1, "SM" + "b".repeat(32), MessageStatus.QUEUED,
                        OptionalInt.empty(), Optional.empty(), "queued"),
                new Outcome.Retry(claims.get(2), 1, Duration.ofSeconds(4), OptionalInt.of(20429), "throttled"));
        assertArrayEquals(new boolean[] {true, false, true}, store.writeOutcomes(outcomes, "worker-b", clock.instant()));
        OutboxRecord a = store.find(OutboxStore.Lookup.KEY, "a").orElseThrow();
        assertEquals(OutboxState.ACCEPTED, a.state());
        assertEquals(List.of("enqueued", "attempt", "accepted"), a.history().stream().map(OutboxEvent::kind).toList());
        OutboxRecord b = store.find(OutboxStore.Lookup.KEY, "b").orElseThrow();
        assertEquals(List.of("enqueued"), b.history().stream().map(OutboxEvent::kind).toList(), "left to its owner");
        OutboxRecord c = store.find(OutboxStore.Lookup.KEY, "c").orElseThrow();
        assertEquals(OutboxState.QUEUED, c.state());
        assertEquals("not sent; again in 4000 ms: throttled", c.history().get(2).detail().orElseThrow());
        assertEquals(20429, c.errorCode().orElseThrow());
        assertEquals(List.of(), claimer("worker-b").claim(10), "due again only after its backoff");
        clock.advance(Duration.ofSeconds(4));
        assertEquals(List.of(c.id()), claimer("worker-b").claim(10).stream().map(Claim::id).toList());
    }

    @Test
    void releasedClaimsAreQueuedAgainAndADeadWorkersRowWaitsToBeSettled() throws SQLException {
        enqueue("fresh", "dead");
        update("UPDATE $m SET state = 'sending', attempts = 1, lease_token = 't0', lease_expires_at = ?"
                + " WHERE caller_key = 'dead'", clock.instant().minusSeconds(1));
        Claimer claimer = claimer("worker-b");
        claimer.release(claimer.claim(10));
        assertEquals("queued", column("fresh", "state"));
        assertEquals(null, column("fresh", "lease_token"));
        assertEquals("sending", column("dead", "state"));
        List<Claim> again = claimer.claim(10);
        assertEquals(2, again.size(), "both claimable at once");
        assertTrue(again.stream().filter(Claim::wasSending).map(Claim::id).toList().contains(id("dead")));
    }
}
