package org.twiliochannels.core.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks for what people paste around and into values copied from the Twilio Console, a chat or an
 * env file: surrounding quotes, whitespace, trailing newlines, values far too long, and characters
 * that look like others or like nothing at all (zero-width and no-break spaces, full-width forms).
 * Not API.
 */
public final class Texts {
    /** What replaces the user info of a URL in every message. */
    private static final String USER_INFO_REMOVED = "[user info removed]";

    private Texts() {}

    /**
     * Rejects a value longer than {@code max} characters, before any costly check.
     *
     * @throws IllegalArgumentException {@code "<kind> is too long (N characters, at most M). <fix>"}
     */
    public static void rejectTooLong(String kind, String raw, int max, String fix) {
        if (raw.length() > max) {
            throw new IllegalArgumentException(kind + " " + tooLong(raw, max) + ". " + fix);
        }
    }

    /** {@code "is too long (N characters, at most M)"}. */
    public static String tooLong(String raw, int max) {
        return "is too long (" + raw.length() + " characters, at most " + max + ")";
    }

    /**
     * Rejects the first character outside printable ASCII (tab and line breaks are left to
     * {@link #rejectPastedDecoration}), naming it and its position; when the value typed in ASCII
     * is accepted, the message gives that form.
     *
     * @param suggest what to write instead, given the value typed in ASCII; empty when that is not accepted either
     */
    public static void rejectOddCharacters(String kind, String raw, String fix,
                                           Function<String, Optional<String>> suggest) {
        oddCharacter(raw, false, suggest).ifPresent(problem -> {
            throw new IllegalArgumentException(kind + " \"" + printable(raw) + "\" " + problem + ". " + fix);
        });
    }

    /** As {@link #rejectOddCharacters} for a secret: the message gives the character and its position, never the value. */
    public static void rejectOddCharactersInSecret(String kind, String raw, String fix) {
        oddCharacter(raw, false, null).ifPresent(problem -> {
            throw new IllegalArgumentException(kind + " " + problem + ". " + fix);
        });
    }

    /**
     * The first character of {@code raw} outside printable ASCII (or, when {@code invisibleOnly},
     * the first one that cannot be seen: format characters, spaces other than ASCII's, control
     * characters), described: {@code "has U+200B ZERO WIDTH SPACE at position 17, an invisible
     * character; remove it"}. Tab, CR and LF are not reported here.
     *
     * @param suggest null for a secret (nothing of the value is shown); else what to write instead,
     *                given the value typed in ASCII
     */
    public static Optional<String> oddCharacter(String raw, boolean invisibleOnly,
                                                Function<String, Optional<String>> suggest) {
        for (int i = 0; i < raw.length(); i += Character.charCount(raw.codePointAt(i))) {
            int c = raw.codePointAt(i);
            if (c == '\t' || c == '\r' || c == '\n' || (c >= 0x20 && c < 0x7f) || invisibleOnly && !invisible(c)) {
                continue;
            }
            String what = Character.getType(c) == Character.FORMAT || Character.isISOControl(c)
                    ? "an invisible character" : Character.isSpaceChar(c) ? "a space that is not the ASCII space"
                    : "which is not ASCII";
            Optional<String> instead = suggest == null ? Optional.empty() : asciiForm(raw).flatMap(suggest);
            Optional<Character> ascii = asciiOf(c);
            String action = instead.map(s -> "write it as \"" + s + "\"")
                    .or(() -> ascii.map(a -> "type '" + a + "' instead"))
                    .orElse(invisible(c) ? "remove it" : "retype it");
            return Optional.of("has " + name(c) + " at position " + (i + 1) + ", " + what + "; " + action);
        }
        return Optional.empty();
    }

    /** {@code "U+200B ZERO WIDTH SPACE"}: the code point and its Unicode name. */
    public static String name(int c) {
        String name = Character.getName(c);
        return String.format(Locale.ROOT, "U+%04X", c) + (name == null ? " (unassigned)" : " " + name);
    }

    /**
     * {@code raw} as typed on an ASCII keyboard: invisible characters dropped, other spaces made
     * ASCII spaces, full-width and other digits, dashes and quotes made ASCII, then stripped; empty
     * when a character is left that has no ASCII form.
     */
    public static Optional<String> asciiForm(String raw) {
        String typed = typedForm(raw).strip();
        return typed.chars().allMatch(c -> c < 0x7f) ? Optional.of(typed) : Optional.empty();
    }

    /** As {@link #asciiForm}, not stripped, with characters that have no ASCII form kept. */
    public static String typedForm(String raw) {
        StringBuilder s = new StringBuilder(raw.length());
        raw.codePoints().forEach(c -> {
            if (c < 0x7f) {
                s.append((char) c);
            } else if (Character.isSpaceChar(c)) {
                s.append(' ');
            } else if (!invisible(c)) {
                asciiOf(c).ifPresentOrElse(s::append, () -> s.appendCodePoint(c));
            }
        });
        return s.toString();
    }

    /** The ASCII character that {@code c} is a form or look-alike of, if any. */
    private static Optional<Character> asciiOf(int c) {
        if (Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER) {
            return Optional.of((char) ('0' + Character.digit(c, 10)));
        }
        String compatible = Normalizer.normalize(new String(Character.toChars(c)), Normalizer.Form.NFKC);
        if (compatible.length() == 1 && compatible.charAt(0) > 0x20 && compatible.charAt(0) < 0x7f) {
            return Optional.of(compatible.charAt(0));
        }
        if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212) {
            return Optional.of('-');
        }
        if (c == 0x2018 || c == 0x2019 || c == 0x201b || c == 0x2032) {
            return Optional.of('\'');
        }
        if (c == 0x201c || c == 0x201d || c == 0x201f || c == 0x2033) {
            return Optional.of('"');
        }
        return Optional.empty();
    }

    /** Not seen when printed: format characters (zero-width spaces, marks), spaces other than ASCII's, controls. */
    private static boolean invisible(int c) {
        return c != ' ' && (Character.getType(c) == Character.FORMAT || Character.isSpaceChar(c)
                || Character.isISOControl(c));
    }

    /**
     * An identifier that is not secret but not for every log either (a proxy user name), shown as
     * addresses are: {@code ***} and its last four characters at most, half of a short one
     * ({@code alice} is {@code ***ce}), never the whole of it.
     */
    public static String masked(String identifier) {
        return "***" + identifier.substring(identifier.length() - Math.min(4, identifier.length() / 2));
    }

    /**
     * {@code url} with its user info (a user name and maybe a password before {@code @}) replaced by
     * {@link #USER_INFO_REMOVED}; anything else unchanged.
     */
    public static String withoutUserInfo(String url) {
        return withoutUserInfoOf(url, url);
    }

    /** {@code text} with every occurrence of the user info of {@code url} replaced by {@link #USER_INFO_REMOVED}. */
    public static String withoutUserInfoOf(String url, String text) {
        String info = userInfo(url);
        return info == null ? text : text.replace(info + "@", USER_INFO_REMOVED + "@");
    }

    /** What stands between {@code ://} and the last {@code @} of the authority, or null. */
    private static String userInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? null : url.substring(start, at);
    }

    /**
     * Rejects an empty value, surrounding quotes and whitespace (inner whitespace too when
     * {@code noInnerWhitespace}).
     *
     * @param secret when true, the value itself never appears in the message, only positions
     */
    public static void rejectPastedDecoration(String kind, String raw, boolean noInnerWhitespace, String fix) {
        rejectPastedDecoration(kind, raw, noInnerWhitespace, fix, false);
    }

    /** As {@link #rejectPastedDecoration(String, String, boolean, String)}, optionally for a secret. */
    public static void rejectPastedDecoration(String kind, String raw, boolean noInnerWhitespace, String fix,
                                              boolean secret) {
        String shown = secret ? "" : " \"" + printable(raw) + "\"";
        if (raw.isEmpty()) {
            throw new IllegalArgumentException(kind + " is empty. " + fix);
        }
        if (raw.length() >= 2 && isQuote(raw.charAt(0)) && raw.charAt(raw.length() - 1) == raw.charAt(0)) {
            throw new IllegalArgumentException(kind + shown + " is wrapped in quotes; remove the quotes. " + fix);
        }
        if (raw.endsWith("\n") || raw.endsWith("\r")) {
            throw new IllegalArgumentException(kind + shown + " ends with a line break; remove it. " + fix);
        }
        if (!raw.equals(raw.strip())) {
            throw new IllegalArgumentException(kind + shown
                    + " has leading or trailing whitespace; remove it. " + fix);
        }
        if (noInnerWhitespace) {
            for (int i = 0; i < raw.length(); i++) {
                if (Character.isWhitespace(raw.charAt(i))) {
                    throw new IllegalArgumentException(kind + shown + " contains whitespace at position " + (i + 1)
                            + "; remove it. " + fix);
                }
            }
        }
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }

    /**
     * The value with line breaks and tabs made visible, and characters that cannot be seen written
     * as Java escapes (a backslash, {@code u} and four hex digits), for error messages.
     */
    public static String printable(String raw) {
        StringBuilder s = new StringBuilder(raw.length());
        raw.codePoints().forEach(c -> {
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> {
                    if (invisible(c)) {
                        s.append(String.format(Locale.ROOT, "\\u%04X", c));
                    } else {
                        s.appendCodePoint(c);
                    }
                }
            }
        });
        return s.toString();
    }
}
