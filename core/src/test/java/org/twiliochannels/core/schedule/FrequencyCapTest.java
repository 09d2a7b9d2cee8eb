package org.twiliochannels.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Template;

class FrequencyCapTest {
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    static final FrequencyCap THREE_A_DAY = FrequencyCap.of(MessageCategory.MARKETING, 3, Duration.ofDays(1));

    private static Instant h(int hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    @Test
    void theNextSendWaitsUntilTheOldestCountedOneLeavesThePeriod() {
        assertEquals(h(3), THREE_A_DAY.nextAllowed(List.of(h(0), h(1)), h(3)));
        assertEquals(h(24), THREE_A_DAY.nextAllowed(List.of(h(2), h(0), h(1)), h(3)), "in any order");
        assertFalse(THREE_A_DAY.allows(List.of(h(0), h(1), h(2)), h(23)));
        assertTrue(THREE_A_DAY.allows(List.of(h(0), h(1), h(2)), h(24)), "a send a whole period ago no longer counts");
        assertEquals(h(24), THREE_A_DAY.nextAllowed(List.of(h(0), h(1), h(2), h(-30), h(-50)), h(4)),
                "sends before the period do not count");
        assertEquals(h(25), THREE_A_DAY.nextAllowed(List.of(h(0), h(1), h(2), h(3)), h(4)),
                "four in the period (a cap lowered since): the two oldest must leave it");
        assertEquals(h(25), THREE_A_DAY.nextAllowed(List.of(h(1), h(2), h(5)), h(4)),
                "a send stamped ahead of now (another instance's clock) counts");
    }

    @Test
    void capsAreValidated() {
        assertEquals("limit 0 must be 1 to 10000 messages per period; to stop a category altogether, do not send it",
                assertThrows(IllegalArgumentException.class, () -> FrequencyCap.of(MessageCategory.MARKETING, 0,
                        Duration.ofDays(1))).getMessage());
        assertEquals("period PT30S must be whole seconds from 1 minute (PT1M) to 366 days (P366D), e.g."
                + " Duration.ofDays(1)", assertThrows(IllegalArgumentException.class, () -> FrequencyCap.of(
                MessageCategory.MARKETING, 1, Duration.ofSeconds(30))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrequencyCap.of(MessageCategory.MARKETING, 1, Duration.ofDays(400)));
        assertThrows(IllegalArgumentException.class, () -> FrequencyCap.of(MessageCategory.MARKETING, 1,
                Duration.ofMinutes(5).plusMillis(1)));
        assertEquals("at most 3 MARKETING messages per PT24H", THREE_A_DAY.toString());
    }

    @Test
    void fingerprintsIgnoreWhiteSpaceButNotWordsCaseTemplateOrMediaCount() {
        String hi = ContentFingerprint.of("Your order  ships\ttoday.", null, 0);
        assertEquals("2fdc1d620260bf406372206b0a23d7dd9a2edc7855b8a02d2e56d8d61f31590d", hi,
                "the SHA-256 of \"v1\\nbody:23:Your order ships today.\\nmedia:1:0\" (sha256sum's answer): stored"
                + " fingerprints stay valid across releases");
        assertEquals(hi, ContentFingerprint.of("  Your order ships\n today. ", null, 0));
        assertEquals(hi, ContentFingerprint.of(Message.text("+14155551234", "Your order ships today.")));
        assertNotEquals(hi, ContentFingerprint.of("your order ships today.", null, 0));
        assertNotEquals(hi, ContentFingerprint.of("Your order ships today.", null, 1));
        assertEquals(ContentFingerprint.of("Caf\u00e9", null, 0), ContentFingerprint.of("Cafe\u0301", null, 0),
                "the same text in composed and decomposed Unicode");
        ContentSid sid = ContentSid.of("HX0123456789abcdef0123456789abcdef");
        String a = ContentFingerprint.of("", Template.numbered(sid, "Ada", "3pm"), 0);
        assertNotEquals(a, ContentFingerprint.of("", Template.numbered(sid, "Ada", "4pm"), 0));
        assertNotEquals(a, ContentFingerprint.of("", Template.numbered(sid, "Ada3", "pm"), 0),
                "parts are written with their lengths, so values cannot shift into each other");
        assertNotEquals(a, ContentFingerprint.of("", null, 0));
        Message picture = Message.builder().to("+14155551234").body("Look").mediaUrl(URI.create("https://example.com/a.jpg"))
                .build();
        assertEquals(ContentFingerprint.of("Look", null, 1), ContentFingerprint.of(picture));
        assertEquals("mediaCount -1 must be 0 or more", assertThrows(IllegalArgumentException.class,
                () -> ContentFingerprint.of("x", null, -1)).getMessage());
    }
}
