package org.twiliochannels.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Supplier;
import org.twiliochannels.outbox.OutboxWorker;
import org.twiliochannels.outbox.WorkerHealth;

/**
 * An outbox worker's {@link OutboxWorker#health() health} as meters (needs
 * {@code twilio-channels-outbox}, an optional dependency of this module):
 *
 * <pre>{@code
 * OutboxWorker worker = outbox.startWorker(twilio, WorkerSettings.defaults());
 * OutboxWorkerMetrics.of(worker).bindTo(meterRegistry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@value #DATABASE_AVAILABLE}</td><td>gauge</td><td>1 while the worker claims and sends,
 *       0 while it cannot reach its database (claiming nothing), NaN when it is stopped or there is
 *       no worker</td></tr>
 *   <tr><td>{@value #DATABASE_OUTAGES}</td><td>function counter</td><td>how many times since the
 *       worker started its database could not be reached</td></tr>
 * </table>
 *
 * <p>The meters carry only the tags given here (none by default; give several workers on one
 * registry a tag of your own, such as {@code outbox=orders}): never a worker id, a JDBC URL, a user
 * or an error message. The registry holds the binder weakly, as Micrometer does for gauges: keep a
 * reference to the worker (or to the supplier) while it runs.
 */
public final class OutboxWorkerMetrics implements MeterBinder {
    /** The gauge of whether the worker reaches its database. */
    public static final String DATABASE_AVAILABLE = "twilio.outbox.database.available";
    /** The counter of database outages. */
    public static final String DATABASE_OUTAGES = "twilio.outbox.database.outages";

    private final Supplier<WorkerHealth> health;
    private final Tags tags;

    private OutboxWorkerMetrics(Supplier<WorkerHealth> health, Iterable<Tag> tags) {
        this.health = Objects.requireNonNull(health, "health");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** The meters of {@code worker}, without tags. */
    public static OutboxWorkerMetrics of(OutboxWorker worker) {
        Objects.requireNonNull(worker, "worker");
        return new OutboxWorkerMetrics(worker::health, Tags.empty());
    }

    /**
     * The meters of whichever worker {@code health} reads (for a worker that is replaced when it
     * restarts); {@code health} returns null while there is no worker. Fast and never throwing, as
     * a gauge asks.
     *
     * @param tags low-cardinality tags of your own, or none
     */
    public static OutboxWorkerMetrics of(Supplier<WorkerHealth> health, Iterable<Tag> tags) {
        return new OutboxWorkerMetrics(health, tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(DATABASE_AVAILABLE, this, OutboxWorkerMetrics::available)
                .description("1 while the outbox worker reaches its database, 0 while it cannot (claiming nothing)")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder(DATABASE_OUTAGES, this, OutboxWorkerMetrics::outages)
                .description("times the outbox worker could not reach its database")
                .tags(tags)
                .register(registry);
    }

    private double available() {
        WorkerHealth h = health.get();
        if (h == null || h.state() == WorkerHealth.State.STOPPED) {
            return Double.NaN;
        }
        return h.isRunning() ? 1 : 0;
    }

    private double outages() {
        WorkerHealth h = health.get();
        return h == null ? 0 : h.outages();
    }

    @Override
    public String toString() {
        return "OutboxWorkerMetrics" + tags;
    }
}
