package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Worked examples after Twilio's public documentation on segments and encoding. */
class SegmentCountTest {
    @Test
    void plainGsmUpTo160CharactersIsOneSegment() {
        SegmentCount c = SegmentCount.of("a".repeat(160));
        assertEquals(new SegmentCount(SegmentCount.Encoding.GSM7, 1, 160, Set.of()), c);
    }

    @Test
    void twiliosExampleA161CharacterMessageIsTwoSegmentsOf153AndEight() {
        SegmentCount c = SegmentCount.of("x".repeat(161));
        assertEquals(2, c.segments());
        assertEquals(161, c.units());
    }

    @Test
    void gsmOver160IsSplitIn153CharacterSegments() {
        assertEquals(2, SegmentCount.of("a".repeat(161)).segments());
        assertEquals(2, SegmentCount.of("a".repeat(306)).segments());
        assertEquals(3, SegmentCount.of("a".repeat(307)).segments());
    }

    @Test
    void extensionCharactersCountDouble() {
        SegmentCount c = SegmentCount.of("€".repeat(80));
        assertEquals(SegmentCount.Encoding.GSM7, c.encoding());
        assertEquals(160, c.units());
        assertEquals(1, c.segments());
        assertEquals(2, SegmentCount.of("€".repeat(81)).segments());
    }

    @Test
    void escapePairIsNeverSplitAcrossSegments() {
        // 152 plain septets then '{' (2 septets) does not fit in the first 153-septet segment
        String body = "a".repeat(152) + "{" + "a".repeat(10);
        assertEquals(2, SegmentCount.of(body).segments());
        assertEquals(164, SegmentCount.of(body).units());
    }

    @Test
    void oneCurlyQuoteTurnsTheMessageToUcs2() {
        String body = "It\u2019s " + "a".repeat(150);
        SegmentCount c = SegmentCount.of(body);
        assertEquals(SegmentCount.Encoding.UCS2, c.encoding());
        assertEquals(Set.of("\u2019"), c.forcedUcs2());
        assertEquals(3, c.segments());
        assertEquals(1, SegmentCount.of(SegmentCount.replaceLookalikes(body)).segments());
    }

    @Test
    void ucs2Is70PerSegmentThen67() {
        assertEquals(1, SegmentCount.of("ж".repeat(70)).segments());
        assertEquals(2, SegmentCount.of("ж".repeat(71)).segments());
        assertEquals(2, SegmentCount.of("ж".repeat(134)).segments());
        assertEquals(3, SegmentCount.of("ж".repeat(135)).segments());
    }

    @Test
    void emojiTakesTwoUnitsAndIsNeverSplit() {
        SegmentCount c = SegmentCount.of("😀".repeat(35));
        assertEquals(70, c.units());
        assertEquals(1, c.segments());
        // 66 units then an emoji: the emoji does not fit in the 67th unit, so it starts segment 2
        String body = "ж".repeat(66) + "😀" + "ж".repeat(10);
        assertEquals(2, SegmentCount.of(body).segments());
    }

    @Test
    void lookalikesAreReplacedWithGsmCharacters() {
        assertEquals("\"Hi\" - it's... here", SegmentCount.replaceLookalikes("\u201CHi\u201D \u2014 it\u2019s\u2026\u00A0here"));
    }

    @Test
    void forcedUcs2ListsTheCharactersInOrderOfFirstAppearance() {
        SegmentCount c = SegmentCount.of("zebra \u263A then \u4E2D, \u00E7a, \u263A again, \uD83D\uDE00 and \u0416");
        assertEquals(java.util.List.of("\u263A", "\u4E2D", "\u00E7", "\uD83D\uDE00", "\u0416"),
                java.util.List.copyOf(c.forcedUcs2()));
        assertThrows(UnsupportedOperationException.class, () -> c.forcedUcs2().add("x"));
    }
}
