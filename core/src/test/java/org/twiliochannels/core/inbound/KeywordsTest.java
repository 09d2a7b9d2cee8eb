package org.twiliochannels.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Keywords}: the normalization keywords and bodies are compared in, and bad keywords. */
class KeywordsTest {

    @Test
    void normalizationIgnoresCaseAccentsSurroundingPunctuationAndWhiteSpace() {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("YES", "yes");
        table.put("Yes!", "yes");
        table.put(" yes.", "yes");
        table.put("YÉS", "yes");
        table.put("Ye\u0301s", "yes"); // e and a combining acute accent
        table.put("\uFF39\uFF25\uFF33", "yes"); // full-width YES
        table.put("¡Sí!", "si");
        table.put("«OUI»", "oui");
        table.put("\"ok\"", "ok");
        table.put("...yes...", "yes");
        table.put("\tyes\r\n", "yes");
        table.put("\u00A0yes\u2003", "yes"); // no-break space, em space
        table.put("  Oui,   d'accord ! ", "oui, d'accord");
        table.put("Çà", "ca");
        table.put("STRAẞE", "straße");
        table.put("👍", "👍");
        table.put("Yes 👍", "yes 👍"); // symbols are no punctuation: kept
        table.put("C", "c");
        table.put("!!!", "");
        table.put("", "");
        Map<String, String> actual = new LinkedHashMap<>();
        table.keySet().forEach(text -> actual.put(text, Keywords.normalize(text)));
        assertEquals(table, actual);
    }

    @Test
    void synonymsKeepTheirLanguageAndTheFirstLanguageWins() {
        Keywords k = Keywords.of("YES", "Ok").in(Locale.FRENCH, "OUI", "ok").in(Locale.forLanguageTag("es"), "Sí");
        assertEquals(List.of("yes", "ok", "oui", "si"), List.copyOf(k.normalized()));
        assertEquals(Optional.empty(), k.language("yes"));
        assertEquals(Optional.empty(), k.language("ok"), "ok was first given without a language");
        assertEquals(Optional.of(Locale.FRENCH), k.language("oui"));
        assertEquals(Optional.of(Locale.forLanguageTag("es")), k.language("si"));
        assertEquals("Keywords[YES, Ok, OUI (fr), Sí (es)]", k.toString());
        assertEquals(Keywords.of(Set.of("YES")), Keywords.of("yes!"), "equal when the normalized words are");
    }

    @Test
    void refusesKeywordsThatAreEmptyOnceNormalized() {
        assertEquals("keyword \"!!!\" is empty once letter case, accents, surrounding punctuation and white space are"
                        + " removed; give a word such as \"YES\"",
                assertThrows(IllegalArgumentException.class, () -> Keywords.of("YES", "!!!")).getMessage());
        assertEquals("keyword \" \" is empty once letter case, accents, surrounding punctuation and white space are"
                        + " removed; give a word such as \"YES\"",
                assertThrows(IllegalArgumentException.class, () -> Keywords.of("YES").in(Locale.FRENCH, " ")).getMessage());
        assertEquals("words: give at least one keyword, e.g. Keywords.of(\"YES\")",
                assertThrows(IllegalArgumentException.class, () -> Keywords.of(Set.of())).getMessage());
    }
}
