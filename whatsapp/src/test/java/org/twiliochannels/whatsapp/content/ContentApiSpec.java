package org.twiliochannels.whatsapp.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.twiliochannels.core.testsupport.OpenApiContract;

/**
 * Twilio's OpenAPI description of the Content API v1, {@code shared/twilio-oai/twilio_content_v1.json}
 * beside the project (its source is in {@code SOURCE.txt} there), or the file named by system property
 * {@code twilio.oai.content}: found as the v2010 description is (core's {@code OpenApiContract}); absent,
 * the contract tests are skipped, except on CI where its absence is a failure. Validates JSON against its
 * schemas with the subset of OpenAPI 3.0 that file uses ({@code $ref}, {@code type}, {@code properties},
 * {@code required}, {@code additionalProperties}, {@code items}, {@code enum}, {@code nullable},
 * {@code pattern}, {@code minLength}, {@code maxLength}).
 */
final class ContentApiSpec {
    private static final String FILE = "shared/twilio-oai/twilio_content_v1.json";
    private static JsonNode spec;

    private ContentApiSpec() {}

    /** The schema of the JSON request body of {@code method} on {@code path}. */
    static JsonNode requestSchema(String path, String method) {
        JsonNode schema = spec().path("paths").path(path).path(method).path("requestBody").path("content")
                .path("application/json").path("schema");
        if (schema.isMissingNode()) {
            throw new AssertionError("no JSON request body for " + method + " " + path + " in " + FILE);
        }
        return schema;
    }

    /** The schema of the JSON answer {@code status} to {@code method} on {@code path}. */
    static JsonNode responseSchema(String path, String method, String status) {
        JsonNode schema = spec().path("paths").path(path).path(method).path("responses").path(status).path("content")
                .path("application/json").path("schema");
        if (schema.isMissingNode()) {
            throw new AssertionError("no JSON answer " + status + " for " + method + " " + path + " in " + FILE);
        }
        return schema;
    }

    /**
     * The path template of the spec that {@code path} is an instance of ({@code /v1/Content/HX…} is
     * {@code /v1/Content/{Sid}}), with {@code method} among its operations; fails when there is none.
     */
    static String pathTemplate(String path, String method) {
        var names = spec().path("paths").fieldNames();
        while (names.hasNext()) {
            String template = names.next();
            if (path.matches(template.replaceAll("\\{[^}]+}", "[^/]+")) && spec().path("paths").path(template).has(method)) {
                return template;
            }
        }
        throw new AssertionError(method.toUpperCase(java.util.Locale.ROOT) + " " + path + " is not an operation of " + FILE);
    }

    /**
     * What is wrong with query parameter {@code name}={@code value} of {@code method} on the path
     * template {@code path}: not a parameter of the operation, or an integer out of its range; empty when fine.
     */
    static List<String> queryViolations(String path, String method, String name, String value) {
        for (JsonNode p : spec().path("paths").path(path).path(method).path("parameters")) {
            if ("query".equals(p.path("in").asText()) && name.equals(p.path("name").asText())) {
                JsonNode schema = p.path("schema");
                if (!"integer".equals(schema.path("type").asText())) {
                    return List.of();
                }
                long n;
                try {
                    n = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return List.of(name + "=" + value + ": not an integer");
                }
                List<String> out = new ArrayList<>();
                if (schema.has("minimum") && n < schema.get("minimum").asLong()) {
                    out.add(name + "=" + value + ": below " + schema.get("minimum").asLong());
                }
                if (schema.has("maximum") && n > schema.get("maximum").asLong()) {
                    out.add(name + "=" + value + ": above " + schema.get("maximum").asLong());
                }
                return out;
            }
        }
        return List.of(name + ": not a query parameter of " + method + " " + path);
    }

    /** A component schema by name, e.g. {@code content.v1.content}. */
    static JsonNode schema(String name) {
        JsonNode schema = spec().path("components").path("schemas").path(name);
        if (schema.isMissingNode()) {
            throw new AssertionError("no schema " + name + " in " + FILE);
        }
        return schema;
    }

    /** What in {@code value} breaks {@code schema}, each as {@code path: problem}; empty when valid. */
    static List<String> violations(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        validate("$", schema, value, out);
        return out;
    }

    private static void validate(String at, JsonNode schema, JsonNode value, List<String> out) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/components/schemas/")) {
                throw new AssertionError("unsupported $ref " + ref);
            }
            validate(at, schema(ref.substring("#/components/schemas/".length())), value, out);
            return;
        }
        for (String unsupported : List.of("oneOf", "anyOf", "allOf", "not")) {
            if (schema.has(unsupported)) {
                throw new AssertionError("the validator does not read " + unsupported + " (at " + at + ")");
            }
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                out.add(at + ": null where the schema is not nullable");
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "" -> true;
            default -> throw new AssertionError("unsupported type " + type);
        };
        if (!typeOk) {
            out.add(at + ": " + value.getNodeType() + " where the schema has " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                out.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (schema.has("pattern") && !java.util.regex.Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
                out.add(at + ": \"" + text + "\" does not match " + schema.get("pattern").asText());
            }
            if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
                out.add(at + ": shorter than " + schema.get("minLength").asInt());
            }
            if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
                out.add(at + ": longer than " + schema.get("maxLength").asInt());
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    out.add(at + ": required property " + required.asText() + " is missing");
                }
            }
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            value.fields().forEachRemaining(e -> {
                String child = at + "." + e.getKey();
                if (props.has(e.getKey())) {
                    validate(child, props.get(e.getKey()), e.getValue(), out);
                } else if (additional != null && additional.isObject()) {
                    validate(child, additional, e.getValue(), out);
                } else if (additional != null && !additional.asBoolean(true)) {
                    out.add(child + ": not a property of the schema");
                } else if (!props.isMissingNode() && props.size() > 0) {
                    // Twilio's schemas leave additionalProperties out where they list every property
                    // (types, ContentCreateRequest): a name they do not list is a name Twilio ignores or refuses.
                    out.add(child + ": not a property of the schema");
                }
            });
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(at + "[" + i + "]", schema.get("items"), value.get(i), out);
            }
        }
    }

    private static synchronized JsonNode spec() {
        if (spec == null) {
            spec = OpenApiContract.load(FILE, "twilio.oai.content", "Twilio's OpenAPI description of the Content API");
        }
        return spec;
    }
}
