package org.twiliochannels.spring.boot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.twiliochannels.core.settings.SetupReport;
import org.twiliochannels.core.settings.SetupReport.Finding;

/**
 * Health from the doctor: UP when no finding is a problem, else DOWN; one detail per finding
 * ({@code "ok: …"}, {@code "warning: …"}, {@code "problem: …"}, never a secret). Live checks call
 * Twilio at most once per {@code cacheFor}; offline checks are cheap and run every time.
 */
final class TwilioHealthIndicator implements HealthIndicator {
    private final TwilioSettings settings;
    private final boolean live;
    private final Duration cacheFor;
    private final Clock clock;
    private SetupReport cached;
    private Instant checkedAt;

    TwilioHealthIndicator(TwilioSettings settings, boolean live, Duration cacheFor, Clock clock) {
        this.settings = settings;
        this.live = live;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    @Override
    public Health health() {
        if (!settings.hasCredentials()) {
            return Health.unknown().withDetail("settings", "not from twilio.* properties: the application configures"
                    + " the account in code, and the doctor has nothing to check").build();
        }
        SetupReport report;
        Instant at;
        synchronized (this) {
            if (live) {
                Instant now = clock.instant();
                if (cached == null || !now.isBefore(checkedAt.plus(cacheFor))) {
                    cached = settings.checkLive();
                    checkedAt = now;
                }
                report = cached;
                at = checkedAt;
            } else {
                report = settings.check();
                at = clock.instant();
            }
        }
        Health.Builder b = report.ok() ? Health.up() : Health.down();
        b.withDetail("live", live).withDetail("checkedAt", at.toString());
        for (Finding f : report.findings()) {
            b.withDetail(f.key(), f.severity().name().toLowerCase(Locale.ROOT) + ": " + f.message());
        }
        return b.build();
    }
}
