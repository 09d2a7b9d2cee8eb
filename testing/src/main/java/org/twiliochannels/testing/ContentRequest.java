package org.twiliochannels.testing;

import java.util.Objects;
import java.util.Optional;

/**
 * One Content API request the {@link FakeTwilio} received ({@link FakeTwilio#contentRequests()}), with
 * its JSON body as sent, so that a test can check it against Twilio's OpenAPI description.
 *
 * @param method the HTTP method
 * @param path   the path, e.g. {@code /v1/Content/HX…/ApprovalRequests/whatsapp}
 * @param query  the query string, if any
 * @param body   the request body, if any (JSON for a POST)
 * @param status the HTTP status answered; 0 when the connection was closed without an answer
 */
public record ContentRequest(String method, String path, Optional<String> query, Optional<String> body, int status) {
    /** Validates the components. */
    public ContentRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return method + " " + path + query.map(q -> "?" + q).orElse("") + " -> " + status;
    }
}
