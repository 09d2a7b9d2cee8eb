package org.twiliochannels.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Content template (created in Twilio's Content Template Builder) and the values of its
 * variables, named ({@code {{first_name}}}) or numbered ({@code {{1}}}). Outside WhatsApp's 24-hour
 * customer-service window, only template messages are delivered.
 *
 * @param sid       the template's SID, {@code HX…}
 * @param variables values by variable name or number, in the order given
 */
public record Template(ContentSid sid, Map<String, String> variables) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates and copies the variables, keeping their order. */
    public Template {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(variables, "variables");
        Map<String, String> copy = new LinkedHashMap<>();
        variables.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new InvalidMessageException("template", "has a variable without a name; use the name or number"
                        + " between {{ }} in the template, e.g. \"1\" or \"first_name\".");
            }
            if (v == null) {
                throw new InvalidMessageException("template", "variable \"" + k + "\" has no value.");
            }
            copy.put(k, v);
        });
        variables = java.util.Collections.unmodifiableMap(copy);
    }

    /** A template without variables, or whose defaults are enough. */
    public static Template of(ContentSid sid) {
        return new Template(sid, Map.of());
    }

    /** A template with numbered variables {@code {{1}}, {{2}} …} filled in order. */
    public static Template numbered(ContentSid sid, String... values) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            vars.put(Integer.toString(i + 1), values[i]);
        }
        return new Template(sid, vars);
    }

    /** The variables as Twilio's {@code ContentVariables} JSON string, e.g. {@code {"1":"12/1","2":"3pm"}}. */
    public String variablesJson() {
        try {
            return JSON.writeValueAsString(variables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write template variables as JSON", e);
        }
    }
}
