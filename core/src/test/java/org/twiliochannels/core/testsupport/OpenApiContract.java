package org.twiliochannels.core.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;

/**
 * Twilio's OpenAPI description of the 2010 REST API, from {@code shared/twilio-oai} beside the
 * project (or the file named by system property {@code twilio.oai}): the source of truth for
 * parameter names in contract tests. Where the file is absent the contract tests are skipped,
 * except on CI where its absence is a failure.
 */
public final class OpenApiContract {
    private static JsonNode spec;

    private OpenApiContract() {}

    /** The form parameters Twilio accepts on {@code method} of {@code path}. */
    public static Set<String> formParameters(String path, String method) {
        JsonNode props = spec().path("paths").path(path).path(method).path("requestBody").path("content")
                .path("application/x-www-form-urlencoded").path("schema").path("properties");
        Set<String> names = new TreeSet<>();
        props.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            throw new AssertionError("no form parameters for " + method + " " + path + " in the OpenAPI description");
        }
        return names;
    }

    /** The schema of one form parameter of {@code method} on {@code path}, e.g. {@code {"type":"string","format":"date-time"}}. */
    public static JsonNode formParameterSchema(String path, String method, String name) {
        JsonNode schema = spec().path("paths").path(path).path(method).path("requestBody").path("content")
                .path("application/x-www-form-urlencoded").path("schema").path("properties").path(name);
        if (schema.isMissingNode()) {
            throw new AssertionError("no form parameter " + name + " for " + method + " " + path
                    + " in the OpenAPI description");
        }
        return schema;
    }

    /** The query parameters Twilio accepts on {@code method} of {@code path}. */
    public static Set<String> queryParameters(String path, String method) {
        Set<String> names = new TreeSet<>();
        for (JsonNode p : spec().path("paths").path(path).path(method).path("parameters")) {
            if ("query".equals(p.path("in").asText())) {
                names.add(p.path("name").asText());
            }
        }
        return names;
    }

    /** The property names of a component schema, e.g. {@code api.v2010.account.message}. */
    public static Set<String> schemaProperties(String schema) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = spec().path("components").path("schemas").path(schema).path("properties").fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static synchronized JsonNode spec() {
        if (spec == null) {
            spec = load("shared/twilio-oai/twilio_api_v2010.json", "twilio.oai", "Twilio's OpenAPI description");
        }
        return spec;
    }

    /**
     * One of Twilio's OpenAPI files, found in {@code file} (relative to the project or any folder
     * above it) or at the path in system property {@code property}. Aborts the test where the file
     * is not beside this clone, and fails it on CI, where it must be.
     */
    public static JsonNode load(String file, String property, String what) {
        Path found = locate(file, property).orElse(null);
        if (found == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError(file + " not found beside the project on CI");
            }
            Assumptions.abort(what + " (" + file + ") is not beside this clone");
        }
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(found));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> locate(String file, String property) {
        String explicit = System.getProperty(property);
        if (explicit != null) {
            return Optional.of(Path.of(explicit));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(file);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
