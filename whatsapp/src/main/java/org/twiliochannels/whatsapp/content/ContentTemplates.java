package org.twiliochannels.whatsapp.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads template definitions from the JSON file an application ships: an object whose
 * {@code templates} array holds one Content API create request body per template
 * ({@code friendly_name}, {@code language}, {@code variables}, {@code types}), the format
 * docs/templates.md describes. Every template is checked as {@link ContentTemplate.Builder#build()}
 * checks it; an error names the file, the template and the field.
 */
public final class ContentTemplates {
    private ContentTemplates() {}

    /**
     * The templates of a definition file, in file order.
     *
     * @throws InvalidTemplateException naming the file, the template and the field, for a definition
     *                                  that is not valid JSON or breaks a rule
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static List<ContentTemplate> read(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template definitions from " + file, e);
        }
    }

    /**
     * The templates of a definition read from {@code in} (not closed).
     *
     * @param source the name errors give for the definition, e.g. a class-path resource's name
     * @throws InvalidTemplateException naming {@code source}, the template and the field
     * @throws UncheckedIOException     when {@code in} cannot be read
     */
    public static List<ContentTemplate> read(InputStream in, String source) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        String prefix = source + ": ";
        JsonNode root;
        try {
            root = ContentJson.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidTemplateException("", "is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "; fix the file.").in(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template definitions from " + source, e);
        }
        try {
            if (root == null || !root.isObject() || !root.has("templates") || !root.get("templates").isArray()) {
                throw new InvalidTemplateException("templates", "is missing; a definition file is a JSON object"
                        + " {\"templates\": [ … ]} with one Content API create body per template.");
            }
            List<String> others = new ArrayList<>();
            root.fieldNames().forEachRemaining(n -> {
                if (!n.equals("templates")) {
                    others.add(n);
                }
            });
            if (!others.isEmpty()) {
                throw new InvalidTemplateException(others.get(0), "is not a field of a definition file; the file"
                        + " has only \"templates\".");
            }
            List<ContentTemplate> out = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            JsonNode templates = root.get("templates");
            for (int i = 0; i < templates.size(); i++) {
                ContentTemplate t = ContentJson.read(templates.get(i), "templates[" + i + "]");
                Integer earlier = seen.putIfAbsent(t.friendlyName() + "\u0000" + t.language(), i);
                if (earlier != null) {
                    throw new InvalidTemplateException("templates[" + i + "]", "defines \"" + t.friendlyName() + "\" ("
                            + t.language() + ") again, as templates[" + earlier + "] does; a friendly name and"
                            + " language find one template at Twilio. Rename one.");
                }
                out.add(t);
            }
            return List.copyOf(out);
        } catch (InvalidTemplateException e) {
            throw e.in(prefix);
        }
    }
}
