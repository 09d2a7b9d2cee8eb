package org.twiliochannels.core.settings;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of checking a Twilio set-up: one finding per item, each marked ok, warning or
 * problem, with the key, where its value came from and what to do. Contains no secret: tokens
 * appear at most as a masked tail.
 *
 * @param findings the findings, in checking order
 */
public record SetupReport(List<Finding> findings) {
    /** The version of the {@link #toJson()} shape; it changes only when a key is removed or retyped. */
    public static final int JSON_SCHEMA = 1;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** How serious a finding is. */
    public enum Severity {
        /** All is well. */
        OK,
        /** Works, with a limitation worth knowing. */
        WARNING,
        /** Sending will fail until this is fixed. */
        PROBLEM
    }

    /**
     * One checked item.
     *
     * @param severity ok, warning or problem
     * @param key      the setting, e.g. {@code TWILIO_AUTH_TOKEN}, or a check name such as {@code account}
     * @param source   where the value came from ({@code env}, {@code system property}, {@code .env:3},
     *                 {@code code}, {@code Twilio}), or empty
     * @param message  what was found and, for warnings and problems, how to fix it
     */
    public record Finding(Severity severity, String key, String source, String message) {
        /** Validates the components. */
        public Finding {
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Copies the findings. */
    public SetupReport {
        findings = List.copyOf(findings);
    }

    /** True when no finding is a problem. */
    public boolean ok() {
        return problems().isEmpty();
    }

    /** The findings that are problems. */
    public List<Finding> problems() {
        return findings.stream().filter(f -> f.severity() == Severity.PROBLEM).toList();
    }

    /** The findings that are warnings. */
    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Severity.WARNING).toList();
    }

    /** This report followed by {@code more}. */
    public SetupReport plus(SetupReport more) {
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(more.findings);
        return new SetupReport(all);
    }

    /** A checklist, one line per finding: {@code [ok]}, {@code [warning]} or {@code [problem]}, key, source, message. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        int width = findings.stream().mapToInt(f -> f.key().length()).max().orElse(0);
        for (Finding f : findings) {
            String mark = "[" + f.severity().name().toLowerCase(Locale.ROOT) + "]";
            s.append(String.format(Locale.ROOT, "%-10s %-" + Math.max(1, width) + "s  ", mark, f.key()));
            if (!f.source().isEmpty()) {
                s.append('(').append(f.source()).append(") ");
            }
            s.append(f.message()).append(System.lineSeparator());
        }
        long problems = problems().size();
        long warnings = warnings().size();
        s.append(problems == 0 ? "All set" : problems + " problem" + (problems == 1 ? "" : "s"))
                .append(warnings == 0 ? "" : ", " + warnings + " warning" + (warnings == 1 ? "" : "s"))
                .append('.').append(System.lineSeparator());
        return s.toString();
    }

    /**
     * The same report as one line of JSON, pure ASCII (other characters written as backslash-u escapes),
     * in a stable shape:
     * <pre>{@code
     * {"schema": 1,            // JSON_SCHEMA
     *  "ok": true,             // no finding is a problem
     *  "problems": 0,          // number of findings with severity "problem"
     *  "warnings": 1,          // number of findings with severity "warning"
     *  "findings": [           // in checking order
     *    {"severity": "ok" | "warning" | "problem",
     *     "key": "TWILIO_ACCOUNT_SID",   // a setting, or a check such as ".env", "api host", "credentials"
     *     "source": "env",               // where the value came from, or ""
     *     "message": "..."}]}
     * }</pre>
     * Keys may be added in later versions; none is removed or retyped without a new schema number.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", JSON_SCHEMA);
        root.put("ok", ok());
        root.put("problems", problems().size());
        root.put("warnings", warnings().size());
        ArrayNode items = root.putArray("findings");
        for (Finding f : findings) {
            ObjectNode n = items.addObject();
            n.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            n.put("key", f.key());
            n.put("source", f.source());
            n.put("message", f.message());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
