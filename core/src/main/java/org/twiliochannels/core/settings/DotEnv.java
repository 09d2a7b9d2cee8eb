package org.twiliochannels.core.settings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code .env} files as people write them: comments, blank lines, {@code export} prefixes,
 * single and double quotes, spaces around {@code =}, CRLF line ends, a UTF-8 byte-order mark.
 * Keeps the line of every value, and reports every line it cannot read with its number. The messages
 * never quote a value.
 */
final class DotEnv {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)$");

    /** A value and the line it came from. */
    record Entry(String value, int line) {}

    /** A line that could not be read. */
    record Problem(int line, String message) {}

    /** Everything read from one file. */
    record Result(Map<String, Entry> entries, List<Problem> problems) {}

    private DotEnv() {}

    /** Parses the bytes of a {@code .env} file. */
    static Result parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher m = ASSIGNMENT.matcher(line);
            if (!m.matches()) {
                problems.add(new Problem(number, "cannot read this line: expected KEY=VALUE"
                        + (trimmed.contains("=") ? " with a key of letters, digits and _" : " (no = found)")));
                continue;
            }
            try {
                entries.put(m.group(1), new Entry(value(m.group(2)), number));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(number, e.getMessage() + " in the value of " + m.group(1)));
            }
        }
        return new Result(entries, problems);
    }

    private static String value(String raw) {
        if (raw.startsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    char next = raw.charAt(++i);
                    out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : next);
                } else if (c == '"') {
                    rejectTrailing(raw.substring(i + 1));
                    return out.toString();
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated double quote");
        }
        if (raw.startsWith("'")) {
            int end = raw.indexOf('\'', 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated single quote");
            }
            rejectTrailing(raw.substring(end + 1));
            return raw.substring(1, end);
        }
        int comment = raw.indexOf(" #");
        return (comment >= 0 ? raw.substring(0, comment) : raw).strip();
    }

    private static void rejectTrailing(String rest) {
        String r = rest.strip();
        if (!r.isEmpty() && !r.startsWith("#")) {
            throw new IllegalArgumentException("text after the closing quote");
        }
    }
}
