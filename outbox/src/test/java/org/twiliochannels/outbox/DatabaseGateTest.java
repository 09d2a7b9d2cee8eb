package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker's view of its database: which failures mean "unreachable", the backoff, the health it reports. */
class DatabaseGateTest {
    final TestClock clock = new TestClock(Instant.parse("2026-12-04T10:00:00Z"));
    final List<Duration> pauses = new ArrayList<>();
    /** Pauses recorded and passed on the clock, never waited. */
    final DatabaseGate gate = new DatabaseGate("worker-a", clock, d -> {
        pauses.add(d);
        clock.advance(d);
    });

    static OutboxException unreachable() {
        return new OutboxUnavailableException("outbox database error: Connection refused",
                new SQLException("Connection to localhost:5432 refused", "08001"));
    }

    @Test
    void tellsAnUnreachableDatabaseFromARefusal() {
        assertTrue(DatabaseGate.isUnreachable(unreachable()));
        assertTrue(DatabaseGate.isUnreachable(new RuntimeException(new SQLTransientConnectionException(
                "twilio-outbox - Connection is not available, request timed out after 5000ms."))), "a pool timing out");
        assertTrue(DatabaseGate.isUnreachable(new OutboxException("x", new SQLException("I/O error", "08006"))));
        assertTrue(DatabaseGate.isUnreachable(new OutboxException("x", new SQLException(
                "FATAL: terminating connection due to administrator command", "57P01"))), "fast shutdown");
        assertTrue(DatabaseGate.isUnreachable(new OutboxException("x", new SQLException(
                "FATAL: the database system is starting up", "57P03"))));
        assertTrue(DatabaseGate.isUnreachable(new RuntimeException(new SQLException("Connection is closed"))),
                "HikariCP's proxy of an evicted connection, inside a library's own exception (Bucket4j)");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 … was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("FATAL: terminating connection", "57P01"));
        assertTrue(DatabaseGate.isUnreachable(new OutboxException("x", batch)), "the reason in the next exception");

        assertFalse(DatabaseGate.isUnreachable(new OutboxException("x", new SQLException("duplicate key", "23505"))));
        assertFalse(DatabaseGate.isUnreachable(new OutboxException("x", new SQLException("no such table", "42P01"))));
        assertFalse(DatabaseGate.isUnreachable(new IllegalStateException("a bug")));
    }

    @Test
    void backsOffFrom100MillisDoublingTo2Seconds() {
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L),
                List.of(1, 2, 3, 4, 5, 6, 7, 100).stream().map(n -> DatabaseGate.backoff(n).toMillis()).toList());
    }

    @Test
    void retriesTheSameWorkUntilTheDatabaseIsBackAndReportsOneOutage() throws Exception {
        Instant start = clock.instant();
        AtomicInteger calls = new AtomicInteger();
        List<WorkerHealth> seen = new ArrayList<>();
        String result = gate.call(() -> {
            if (calls.getAndIncrement() < 7) {
                seen.add(gate.health());
                throw unreachable();
            }
            return "written";
        }, () -> true);

        assertEquals("written", result);
        assertEquals(8, calls.get());
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L), pauses.stream().map(Duration::toMillis)
                .toList());
        assertEquals(WorkerHealth.State.RUNNING, seen.get(0).state(), "the first failure is not known before it happens");
        WorkerHealth away = seen.get(1);
        assertEquals(WorkerHealth.State.DATABASE_UNAVAILABLE, away.state());
        assertEquals(start, away.since(), "since the first failure");
        assertEquals(Optional.of("Connection to localhost:5432 refused"), away.lastError());
        assertEquals(Optional.of("java.sql.SQLException"), away.lastErrorType(), "the root cause's class");
        assertEquals(Optional.of("08001"), away.lastSqlState());
        assertEquals(1, away.outages());
        for (WorkerHealth h : seen.subList(1, seen.size())) {
            assertEquals(away, h, "one outage, however many tries");
        }
        WorkerHealth back = gate.health();
        assertEquals(WorkerHealth.running(start.plusMillis(7_100), 1), back);

        assertThrows(OutboxException.class, () -> gate.call(() -> {
            throw unreachable();
        }, () -> pauses.size() < 9));
        assertEquals(2, gate.health().outages(), "a second outage counted");
    }

    @Test
    void passesOtherFailuresThroughAtOnce() {
        OutboxException refused = new OutboxException("x", new SQLException("duplicate key", "23505"));
        OutboxException thrown = assertThrows(OutboxException.class, () -> gate.call(() -> {
            throw refused;
        }, () -> true));

        assertSame(refused, thrown);
        assertEquals(List.of(), pauses);
        assertEquals(WorkerHealth.State.RUNNING, gate.health().state());
    }

    @Test
    void givesUpWithoutPausingOnceTheWorkerStops() {
        OutboxException e = assertThrows(OutboxException.class, () -> gate.call(() -> {
            throw unreachable();
        }, () -> false));

        assertTrue(DatabaseGate.isUnreachable(e));
        assertEquals(List.of(), pauses);
        assertEquals(WorkerHealth.State.DATABASE_UNAVAILABLE, gate.health().state(), "it still says why");
        gate.stopped();
        assertEquals(WorkerHealth.State.STOPPED, gate.health().state());
        assertEquals(1, gate.health().outages());
    }
}
