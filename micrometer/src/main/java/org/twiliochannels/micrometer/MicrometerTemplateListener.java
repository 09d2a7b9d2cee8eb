package org.twiliochannels.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.content.TemplateStatusChange;
import org.twiliochannels.core.content.TemplateStatusListener;

/**
 * Records WhatsApp template status changes as meters: {@value #STATUS_CHANGES} (counter, tag
 * {@code status}: the status changed to) and {@value #INCIDENTS} (gauge: how many templates are
 * paused or disabled now, as last seen). Give it to {@code WhatsAppTemplates.Builder.listener}.
 */
public final class MicrometerTemplateListener implements TemplateStatusListener {
    /** Counter of template status changes. */
    public static final String STATUS_CHANGES = "twilio.templates.status.changes";
    /** Gauge of templates paused or disabled. */
    public static final String INCIDENTS = "twilio.templates.incidents";

    private final MeterRegistry meters;
    private final Set<ContentSid> incidents = ConcurrentHashMap.newKeySet();

    /** A listener recording into {@code meters}. */
    public MicrometerTemplateListener(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        Gauge.builder(INCIDENTS, incidents, Set::size)
                .description("WhatsApp templates paused or disabled, as last seen").register(meters);
    }

    @Override
    public void statusChanged(TemplateStatusChange change) {
        Counter.builder(STATUS_CHANGES).description("WhatsApp template approval status changes")
                .tag("status", change.status().twilioName()).register(meters).increment();
        if (change.incident()) {
            incidents.add(change.approval().sid());
        } else {
            incidents.remove(change.approval().sid());
        }
    }

    @Override
    public String toString() {
        return "MicrometerTemplateListener[" + meters.getClass().getSimpleName() + "]";
    }
}
