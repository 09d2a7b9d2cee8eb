package org.twiliochannels.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.outbox.Outbox;

/**
 * The operator's page of an outbox, rendered on the server from the outbox's database: the queue
 * by state (oldest waiting, scheduled or held, expired leases), accepted messages per minute over
 * the last hour and day against the account's cap (inline SVG), the delivery funnel per channel
 * and campaign (accepted → sent → delivered or read, undelivered, failed, with rates), failures by
 * Twilio error code with the catalogue's hint, the messages that may have been sent and need a
 * decision, and the newest messages, recipients masked, bodies never shown.
 *
 * <p>The page is one self-contained HTML document: style inline, no script, nothing fetched from
 * another host (it works on an intranet), a meta refresh, readable on a phone and usable with the
 * keyboard. Its queries are read-only and use the outbox's indexes, except one pass over the
 * table for the counts per state and the funnel (the same statement as {@link Outbox#counts()}).
 * A database that cannot be reached, or tables not created yet, give a page that says so and what
 * to do, never an exception or a stack trace.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(dataSource).accountCap(100).build();
 * String html = dashboard.page();          // refreshes itself: to serve
 * dashboard.writeReport(Path.of("report.html")); // no refresh: for a ticket, an email, a nightly job
 * }</pre>
 *
 * Thread-safe; each page reads the database once, in one read-only transaction.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.dashboard");

    private final DashboardStore store;
    private final String prefix;
    private final Clock clock;
    private final Page live;
    private final Page report;

    private Dashboard(Builder b) {
        this.prefix = b.prefix;
        this.store = new DashboardStore(b.dataSource, b.prefix);
        this.clock = b.clock;
        this.live = new Page(b.title, b.refresh, b.cap);
        this.report = new Page(b.title, Duration.ZERO, b.cap);
    }

    /** A builder for the page of the outbox on {@code dataSource} (PostgreSQL or H2). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** The page now, with its self-refresh: to serve. Never throws for a database problem: the page says it. */
    public String page() {
        return render(live);
    }

    /** The page now without the self-refresh: a file to keep or send. */
    public String report() {
        return render(report);
    }

    /**
     * Writes {@link #report()} to {@code file} (UTF-8), replacing it.
     *
     * @throws IOException when the file cannot be written
     */
    public void writeReport(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Files.writeString(file, report(), StandardCharsets.UTF_8);
    }

    private String render(Page page) {
        java.time.Instant now = clock.instant();
        String tables = prefix + "outbox_*";
        try {
            return page.render(store.read(now), tables);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.equals("42P01") || state.startsWith("42S0")) { // PostgreSQL's, H2's "no such table"
                return page.unavailable(now, "The outbox tables are not there", "No table " + prefix + "outbox_message"
                        + " in this database: start the application once (the outbox creates its tables), or call"
                        + " Outbox.migrate(); check the table prefix (" + prefix + ") if they are there under another.");
            }
            LOG.warn("the dashboard could not read the outbox database (tables {})", tables, e);
            if (unreachable(e)) {
                return page.unavailable(now, "The outbox database cannot be reached", "No connection to the outbox's"
                        + " database (SQL state " + (state.isEmpty() ? "none" : state) + "). Messages already enqueued"
                        + " are safe in it; check that the database runs and that this application can reach it."
                        + " The details are in the application's log.");
            }
            return page.unavailable(now, "The outbox database could not be read", "The database answered with an"
                    + " error (SQL state " + (state.isEmpty() ? "none" : state) + "). The details are in the"
                    + " application's log.");
        } catch (RuntimeException e) {
            // a pool that times out throws its own unchecked exception on some versions
            LOG.warn("the dashboard could not read the outbox database (tables {})", tables, e);
            return page.unavailable(now, "The outbox database cannot be reached", "No connection to the outbox's"
                    + " database. Messages already enqueued are safe in it; check that the database runs and that"
                    + " this application can reach it. The details are in the application's log.");
        }
    }

    private static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof java.net.ConnectException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Dashboard[" + prefix + "outbox_*]";
    }

    /** Builds a {@link Dashboard}; every default is documented on its setter. */
    public static final class Builder {
        private final DataSource dataSource;
        private String prefix = Outbox.DEFAULT_PREFIX;
        private Clock clock = Clock.systemUTC();
        private Duration refresh = Duration.ofSeconds(30);
        private OptionalDouble cap = OptionalDouble.empty();
        private String title = "Outbox";

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** The outbox's table-name prefix (default {@code twilio_}), as given to {@code Outbox.Builder.tablePrefix}. */
        public Builder tablePrefix(String prefix) {
            Outbox.builder(dataSource).tablePrefix(prefix); // the outbox's own check and message
            this.prefix = prefix;
            return this;
        }

        /**
         * The account's cap in messages per second (Twilio's account-wide limit, or the pacing
         * configured), drawn on the throughput charts; default none (not drawn).
         */
        public Builder accountCap(double messagesPerSecond) {
            if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
                throw new IllegalArgumentException("accountCap " + messagesPerSecond + " must be a positive number of"
                        + " messages per second, e.g. 100");
            }
            this.cap = OptionalDouble.of(messagesPerSecond);
            return this;
        }

        /** How often the served page reloads itself (default 30 s; at least 5 s; {@link #report()} never does). */
        public Builder refresh(Duration refresh) {
            Objects.requireNonNull(refresh, "refresh");
            if (refresh.compareTo(Duration.ofSeconds(5)) < 0) {
                throw new IllegalArgumentException("refresh " + refresh.toMillis() + " ms must be at least 5 s: each"
                        + " page reads the outbox's database; e.g. Duration.ofSeconds(30)");
            }
            this.refresh = refresh;
            return this;
        }

        /** The page's title and heading (default {@code "Outbox"}), e.g. the application's name. */
        public Builder title(String title) {
            Objects.requireNonNull(title, "title");
            if (title.isBlank()) {
                throw new IllegalArgumentException("title must not be blank; e.g. \"Orders outbox\"");
            }
            this.title = title.strip();
            return this;
        }

        /** The clock the page's times are read from (default the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The dashboard. */
        public Dashboard build() {
            return new Dashboard(this);
        }
    }
}
