package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.pacing.PacingSettings;

class WorkerSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        WorkerSettings d = WorkerSettings.defaults();
        assertEquals(16, d.concurrency());
        assertEquals(50, d.batchSize());
        assertEquals(Duration.ofMillis(250), d.pollInterval());
        assertEquals(10, d.maxAttempts());
        assertEquals(Duration.ofDays(30), d.retention());
        assertEquals(PacingSettings.defaults(), d.pacing());
        assertEquals(2000, d.pacing().accountCap());
    }

    @Test
    void newBuilderKeepsEverySetting() {
        WorkerSettings s = WorkerSettings.builder().concurrency(3).batchSize(7).pollInterval(Duration.ofMillis(20))
                .maxAttempts(2).retention(Duration.ZERO).pacing(PacingSettings.builder().accountCap(9).build()).build();
        assertEquals(s, s.newBuilder().build());
        assertEquals(12, s.prefetch());
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertEquals("concurrency must be 1 to 1000, was 0", assertThrows(IllegalArgumentException.class,
                () -> WorkerSettings.builder().concurrency(0)).getMessage());
        assertEquals("batchSize must be 1 to 1000, was 1001", assertThrows(IllegalArgumentException.class,
                () -> WorkerSettings.builder().batchSize(1001)).getMessage());
        assertEquals("pollInterval must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> WorkerSettings.builder().pollInterval(Duration.ZERO)).getMessage());
        assertEquals("maxAttempts must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> WorkerSettings.builder().maxAttempts(0)).getMessage());
        assertEquals("retention must be zero (keep everything) or positive, was PT-1S",
                assertThrows(IllegalArgumentException.class,
                        () -> WorkerSettings.builder().retention(Duration.ofSeconds(-1))).getMessage());
    }
}
