package org.twiliochannels.core.inbound;

import java.text.Normalizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words that choose one handler of an {@link InboundRouter}: synonyms, optionally per language
 * ({@code YES}, and in French {@code OUI}, in Spanish {@code SÍ}). A message matches when its whole
 * body, {@linkplain #normalize(String) normalized}, equals one of them normalized: letter case,
 * accents, surrounding punctuation and white space do not count, so {@code "Yes!"},
 * {@code " yes."} and {@code "YÉS"} all match {@code YES}.
 *
 * <p>Immutable. A word given twice keeps the language it was given with first.
 */
public final class Keywords {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern INNER_SPACE = Pattern.compile("[\\s\\p{Z}]+");

    /** Normalized word to the language it was given with, null for none; in the order given. */
    private final Map<String, Locale> words;
    /** Normalized word to the word as given, for messages. */
    private final Map<String, String> given;

    private Keywords(Map<String, Locale> words, Map<String, String> given) {
        this.words = Collections.unmodifiableMap(words);
        this.given = Collections.unmodifiableMap(given);
    }

    /**
     * Synonyms without a language.
     *
     * @throws IllegalArgumentException when no word is given, or a word is empty once normalized
     */
    public static Keywords of(String... words) {
        Objects.requireNonNull(words, "words");
        return new Keywords(new LinkedHashMap<>(), new LinkedHashMap<>()).and(null, words);
    }

    /**
     * Synonyms without a language, from a set (its order, if any, is kept).
     *
     * @throws IllegalArgumentException when the set is empty, or a word is empty once normalized
     */
    public static Keywords of(Set<String> words) {
        Objects.requireNonNull(words, "words");
        return of(words.toArray(String[]::new));
    }

    /**
     * These keywords and more synonyms in {@code language}: the {@link InboundEvent} of a message
     * that matched one of them names that language, so that the answer can use it.
     *
     * @throws IllegalArgumentException when no word is given, or a word is empty once normalized
     */
    public Keywords in(Locale language, String... words) {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(words, "words");
        return and(language, words);
    }

    private Keywords and(Locale language, String... more) {
        if (more.length == 0) {
            throw new IllegalArgumentException("words: give at least one keyword, e.g. Keywords.of(\"YES\")");
        }
        Map<String, Locale> w = new LinkedHashMap<>(words);
        Map<String, String> g = new LinkedHashMap<>(given);
        for (String word : more) {
            Objects.requireNonNull(word, "keyword");
            String key = normalize(word);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("keyword \"" + word + "\" is empty once letter case, accents,"
                        + " surrounding punctuation and white space are removed; give a word such as \"YES\"");
            }
            if (!w.containsKey(key)) {
                w.put(key, language);
                g.put(key, word);
            }
        }
        return new Keywords(w, g);
    }

    /**
     * The form a body and a keyword are compared in: compatibility decomposition (NFKD, so that
     * full-width {@code ＹＥＳ} is {@code YES}), combining marks removed ({@code É} is {@code E}),
     * lower case by {@link Locale#ROOT}, punctuation and white space removed at both ends, and runs
     * of white space inside made one space. {@code " Oui, d'accord ! "} gives {@code "oui, d'accord"}.
     */
    public static String normalize(String text) {
        Objects.requireNonNull(text, "text");
        String s = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
        s = s.toLowerCase(Locale.ROOT);
        int start = 0;
        int end = s.length();
        while (start < end && trimmed(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && trimmed(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return INNER_SPACE.matcher(s.substring(start, end)).replaceAll(" ");
    }

    /** Punctuation, white space, space separators and control characters: what surrounds a word. */
    private static boolean trimmed(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                || type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION || type == Character.FORMAT;
    }

    /** The words, normalized, in the order given. */
    public Set<String> normalized() {
        return words.keySet();
    }

    /** The language a normalized word was given with, if any. */
    public Optional<Locale> language(String normalizedWord) {
        return Optional.ofNullable(words.get(normalizedWord));
    }

    /** The word as given for a normalized word, e.g. {@code "Oui!"} for {@code "oui"}. */
    String given(String normalizedWord) {
        return given.get(normalizedWord);
    }

    /** Equal when the same normalized words were given, each with the same language. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Keywords k && words.equals(k.words);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }

    /** The words as given, e.g. {@code Keywords[YES, OUI (fr)]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Keywords[");
        words.forEach((k, lang) -> out.append(out.length() > 9 ? ", " : "").append(given.get(k))
                .append(lang == null ? "" : " (" + lang.toLanguageTag() + ")"));
        return out.append(']').toString();
    }
}
