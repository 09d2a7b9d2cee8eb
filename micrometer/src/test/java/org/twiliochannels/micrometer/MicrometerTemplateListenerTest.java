package org.twiliochannels.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.content.TemplateStatusChange;
import org.twiliochannels.core.content.WhatsAppApproval;

class MicrometerTemplateListenerTest {
    private static final ContentSid A = ContentSid.of("HX0123456789abcdef0123456789abcdef");
    private static final ContentSid B = ContentSid.of("HXfedcba9876543210fedcba9876543210");

    private static TemplateStatusChange change(ContentSid sid, ApprovalStatus status) {
        return new TemplateStatusChange("appointment_confirmation", "en", Optional.empty(),
                new WhatsAppApproval(sid, Optional.empty(), Optional.empty(), status, Optional.empty()), Instant.EPOCH);
    }

    @Test
    void countsChangesByStatusAndGaugesTheTemplatesPausedOrDisabled() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MicrometerTemplateListener l = new MicrometerTemplateListener(meters);
        l.statusChanged(change(A, ApprovalStatus.APPROVED));
        l.statusChanged(change(A, ApprovalStatus.PAUSED));
        l.statusChanged(change(B, ApprovalStatus.DISABLED));
        assertEquals(2.0, meters.get(MicrometerTemplateListener.INCIDENTS).gauge().value());
        l.statusChanged(change(A, ApprovalStatus.APPROVED));
        assertEquals(1.0, meters.get(MicrometerTemplateListener.INCIDENTS).gauge().value());
        assertEquals(2.0, meters.get(MicrometerTemplateListener.STATUS_CHANGES).tag("status", "approved").counter().count());
        assertEquals(1.0, meters.get(MicrometerTemplateListener.STATUS_CHANGES).tag("status", "paused").counter().count());
    }
}
