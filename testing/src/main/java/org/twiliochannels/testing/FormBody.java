package org.twiliochannels.testing;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twiliochannels.core.internal.FormEncoding;

/**
 * An {@code application/x-www-form-urlencoded} body, parsed: names in order of first appearance,
 * repeated names (such as {@code MediaUrl}) keeping every value.
 */
public final class FormBody {
    private final Map<String, List<String>> params;

    private FormBody(Map<String, List<String>> params) {
        this.params = params;
    }

    /** Parses {@code body}; an empty body has no parameters. */
    public static FormBody parse(String body) {
        Map<String, List<String>> params = FormEncoding.parse(body);
        params.replaceAll((k, v) -> List.copyOf(v));
        return new FormBody(Collections.unmodifiableMap(params));
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
    public java.util.Set<String> names() {
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
