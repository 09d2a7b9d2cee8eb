package org.twiliochannels.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code application/x-www-form-urlencoded} body or a query string, parsed: names in order of
 * first appearance, repeated names (such as {@code MediaUrl}) keeping every value.
 */
public final class FormBody {
    private static final FormBody EMPTY = new FormBody(Map.of());

    private final Map<String, List<String>> params;

    private FormBody(Map<String, List<String>> params) {
        this.params = params;
    }

    /**
     * Parses {@code body} ({@code +} is a space, {@code %XX} a UTF-8 byte); an empty or null body
     * has no parameters.
     *
     * @throws IllegalArgumentException when a {@code %} escape is malformed
     */
    public static FormBody parse(String body) {
        if (body == null || body.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        params.replaceAll((k, v) -> List.copyOf(v));
        return new FormBody(Collections.unmodifiableMap(params));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("form parameter \"" + s + "\" has a malformed %-escape;"
                    + " encode '%' as %25", e);
        }
    }

    /** The first value of {@code name}. */
    public Optional<String> first(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /** The parameter names, in order of first appearance. */
    public Set<String> names() {
        return params.keySet();
    }

    /** Every parameter. */
    public Map<String, List<String>> asMap() {
        return params;
    }

    @Override
    public String toString() {
        return params.toString();
    }
}
