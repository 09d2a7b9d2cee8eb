package org.twiliochannels.whatsapp.content;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Template;

/**
 * The variables of one send of a {@link ContentTemplate}, checked before the request: every
 * placeholder has a value, no value lacks a placeholder, and each value follows WhatsApp's rules
 * (not empty, at most 1,600 characters, no newline, no tab, no more than four consecutive spaces:
 * Twilio's errors 21656 and 21658). Gives Twilio's {@code ContentVariables} JSON, or the
 * {@link Template} a {@link org.twiliochannels.core.Message} carries:
 *
 * <pre>{@code
 * Template t = TemplateVariables.of(confirmation, Map.of("1", "Grace", "2", "Friday 10 am"))
 *         .template(ContentSid.of("HX0123456789abcdef0123456789abcdef"));
 * whatsapp.send(Message.template("+14155551234", t));
 * }</pre>
 */
public final class TemplateVariables {
    private final Map<String, String> values;

    private TemplateVariables(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Checks {@code values} against the placeholders of {@code template}.
     *
     * @param values a value for each placeholder, by number ({@code "1"}, {@code "2"} …)
     * @throws InvalidMessageException (field {@code template}) naming the variable, the rule and the fix
     */
    public static TemplateVariables of(ContentTemplate template, Map<String, String> values) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(values, "values");
        List<String> placeholders = template.placeholders();
        String which = "template \"" + template.friendlyName() + "\" (" + template.language() + ")";
        for (String key : values.keySet()) {
            if (!placeholders.contains(key)) {
                throw new InvalidMessageException("template", "variable \"" + key + "\" has no placeholder in " + which
                        + ", which has " + list(placeholders) + "; remove it.");
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String p : placeholders) {
            String value = values.get(p);
            if (value == null) {
                throw new InvalidMessageException("template", "variable \"" + p + "\" is missing; " + which + " has "
                        + list(placeholders) + ". Give a value for each.");
            }
            String problem = Limits.variableValueProblem(value);
            if (!problem.isEmpty()) {
                throw new InvalidMessageException("template", "variable \"" + p + "\" " + problem);
            }
            ordered.put(p, value);
        }
        return new TemplateVariables(java.util.Collections.unmodifiableMap(ordered));
    }

    /** {@link #of(ContentTemplate, Map)} with the values of {@code {{1}}, {{2}} …} in order. */
    public static TemplateVariables of(ContentTemplate template, String... values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(Integer.toString(i + 1), Objects.requireNonNull(values[i], "values[" + i + "]"));
        }
        return of(template, map);
    }

    /** The checked values in placeholder order. */
    public Map<String, String> values() {
        return values;
    }

    /** Twilio's {@code ContentVariables} parameter, e.g. {@code {"1":"Grace","2":"Friday 10 am"}}. */
    public String json() {
        ObjectNode node = ContentJson.MAPPER.createObjectNode();
        values.forEach(node::put);
        return node.toString();
    }

    /** The template message content for the Content resource {@code sid} with these values. */
    public Template template(ContentSid sid) {
        return new Template(Objects.requireNonNull(sid, "sid"), values);
    }

    private static String list(List<String> placeholders) {
        return placeholders.isEmpty() ? "no placeholders"
                : placeholders.stream().map(p -> "{{" + p + "}}").collect(Collectors.joining(", "));
    }

    /** The variable numbers only: a value may be a one-time code, so none is shown. */
    @Override
    public String toString() {
        return "TemplateVariables" + values.keySet();
    }
}
