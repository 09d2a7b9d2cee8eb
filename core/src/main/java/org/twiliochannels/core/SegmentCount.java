package org.twiliochannels.core;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How many SMS segments a body takes, and why: computed before sending, the way carriers split
 * messages. A body of GSM-7 characters fits 160 per segment (153 when split, extension characters
 * {@code ^ { } \ [ ~ ] | €} counting double); one character outside GSM-7 switches the whole
 * message to UCS-2: 70 UTF-16 units per segment (67 when split), an emoji taking two and never
 * split across segments.
 *
 * @param encoding    GSM-7 or UCS-2
 * @param segments    the number of segments (at least 1)
 * @param units       septets for GSM-7, UTF-16 code units for UCS-2
 * @param forcedUcs2  the characters that are not GSM-7, in order of first appearance
 */
public record SegmentCount(Encoding encoding, int segments, int units, Set<String> forcedUcs2) {
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";
    private static final String[][] LOOKALIKES = {
            {"\u2018", "'"}, {"\u2019", "'"}, {"\u201A", "'"}, {"\u201B", "'"}, {"\u2032", "'"},
            {"\u201C", "\""}, {"\u201D", "\""}, {"\u201E", "\""}, {"\u201F", "\""}, {"\u2033", "\""},
            {"\u2013", "-"}, {"\u2014", "-"}, {"\u2015", "-"}, {"\u2212", "-"}, {"\u2010", "-"}, {"\u2011", "-"},
            {"\u2026", "..."}, {"\u00A0", " "}, {"\u2007", " "}, {"\u202F", " "}, {"\u2009", " "}, {"\u200B", ""},
            {"\u00AB", "\""}, {"\u00BB", "\""}, {"\u2022", "-"}, {"\t", " "},
    };

    /** The character set a message is sent in. */
    public enum Encoding {
        /** The GSM 03.38 7-bit alphabet. */
        GSM7,
        /** UTF-16: any character, fewer per segment. */
        UCS2
    }

    /** Validates the components. */
    public SegmentCount {
        Objects.requireNonNull(encoding, "encoding");
        // an unmodifiable view of a copy keeps the order of first appearance (Set.copyOf would not)
        forcedUcs2 = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(forcedUcs2));
    }

    /** Counts the segments of {@code body}. */
    public static SegmentCount of(String body) {
        Objects.requireNonNull(body, "body");
        Set<String> nonGsm = new LinkedHashSet<>();
        body.codePoints().filter(cp -> !isGsm(cp)).forEach(cp -> nonGsm.add(new String(Character.toChars(cp))));
        if (nonGsm.isEmpty()) {
            int septets = 0;
            for (int i = 0; i < body.length(); i++) {
                septets += GSM_EXTENSION.indexOf(body.charAt(i)) >= 0 ? 2 : 1;
            }
            int segments = septets <= 160 ? 1 : pack(body, 153, true);
            return new SegmentCount(Encoding.GSM7, Math.max(1, segments), septets, Set.of());
        }
        int units = body.length();
        int segments = units <= 70 ? 1 : pack(body, 67, false);
        return new SegmentCount(Encoding.UCS2, segments, units, nonGsm);
    }

    /**
     * {@code body} with common look-alikes replaced by GSM-7 characters: curly quotes, long
     * dashes, the ellipsis, non-breaking and thin spaces. Other characters are kept.
     */
    public static String replaceLookalikes(String body) {
        Objects.requireNonNull(body, "body");
        String out = body;
        for (String[] pair : LOOKALIKES) {
            out = out.replace(pair[0], pair[1]);
        }
        return out;
    }

    private static boolean isGsm(int cp) {
        return cp < 0x10000 && (GSM_BASIC.indexOf(cp) >= 0 || GSM_EXTENSION.indexOf(cp) >= 0);
    }

    /** Segments needed when split, never cutting an escape pair (GSM-7) or a surrogate pair (UCS-2). */
    private static int pack(String body, int capacity, boolean gsm) {
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); ) {
            int cp = body.codePointAt(i);
            int cost = gsm ? (GSM_EXTENSION.indexOf(cp) >= 0 ? 2 : 1) : Character.charCount(cp);
            if (used + cost > capacity) {
                segments++;
                used = 0;
            }
            used += cost;
            i += Character.charCount(cp);
        }
        return segments;
    }
}
