package org.twiliochannels.spring.boot;

import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.twiliochannels.core.content.TemplateStatusChange;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/**
 * The {@code whatsappTemplates} health contributor: {@code UP} while no template is paused or
 * disabled, else {@value #INCIDENT} with each such template (name, language, SID, status), as
 * {@link WhatsAppTemplates#incidents()} last saw them. Not {@code DOWN}: a paused template stops
 * some messages, not the application, and a load balancer should not take the instance out.
 */
final class WhatsAppTemplatesHealthIndicator implements HealthIndicator {
    /** The status while a template is paused or disabled. */
    static final String INCIDENT = "INCIDENT";

    private final WhatsAppTemplates templates;

    WhatsAppTemplatesHealthIndicator(WhatsAppTemplates templates) {
        this.templates = templates;
    }

    @Override
    public Health health() {
        List<TemplateStatusChange> incidents = templates.incidents();
        if (incidents.isEmpty()) {
            return Health.up().build();
        }
        Health.Builder b = Health.status(new Status(INCIDENT, "WhatsApp templates paused or disabled: WhatsApp does"
                + " not deliver them"));
        for (TemplateStatusChange c : incidents) {
            b.withDetail(c.friendlyName() + " (" + c.language() + ")", c.approval().sid() + " " + c.status().twilioName());
        }
        return b.build();
    }
}
