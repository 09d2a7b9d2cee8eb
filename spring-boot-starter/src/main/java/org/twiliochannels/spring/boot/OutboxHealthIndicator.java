package org.twiliochannels.spring.boot;

import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.twiliochannels.outbox.WorkerHealth;

/**
 * The {@code outbox} health: UP while the context's worker claims and sends; DOWN while it cannot
 * reach its database (a fault that needs someone, not a planned pause: Boot answers 503 and
 * orchestrators see it); OUT_OF_SERVICE while the worker is not running (before the context starts
 * it, after it stops). Details: {@code state}, {@code since}, {@code outages}, and while DOWN the
 * last error's {@code error.type} and {@code error.sqlState}: never its message, which may name the
 * host, the database or the user.
 */
final class OutboxHealthIndicator implements HealthIndicator {
    private final Supplier<WorkerHealth> worker;

    OutboxHealthIndicator(Supplier<WorkerHealth> worker) {
        this.worker = worker;
    }

    @Override
    public Health health() {
        WorkerHealth h = worker.get();
        if (h == null) {
            return Health.outOfService().withDetail("state", WorkerHealth.State.STOPPED.name()).build();
        }
        Health.Builder b = switch (h.state()) {
            case RUNNING -> Health.up();
            case DATABASE_UNAVAILABLE -> Health.down();
            case STOPPED -> Health.outOfService();
        };
        b.withDetail("state", h.state().name()).withDetail("since", h.since().toString())
                .withDetail("outages", h.outages());
        h.lastErrorType().ifPresent(t -> b.withDetail("error.type", t));
        h.lastSqlState().ifPresent(s -> b.withDetail("error.sqlState", s));
        return b.build();
    }
}
