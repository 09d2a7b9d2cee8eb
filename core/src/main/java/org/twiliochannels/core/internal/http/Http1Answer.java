package org.twiliochannels.core.internal.http;

import java.util.List;

/**
 * An HTTP answer as read from the connection: status, header lines in order (name and value),
 * body bytes, and whether the connection may carry another request.
 */
public record Http1Answer(int status, List<String[]> headers, byte[] body, boolean keepAlive) {
    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        return header(headers, name);
    }

    /** The first value of header {@code name} (any case) among {@code headers}, or null. */
    static String header(List<String[]> headers, String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }
}
