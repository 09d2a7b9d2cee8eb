package org.twiliochannels.core.webhook;

/**
 * What of a request may appear in a message or a log line: a URL without its user info and query,
 * control characters escaped, bounded in length; an address masked. Never a body or a full number.
 */
final class Redact {
    private static final int MAX_URL_SHOWN = 200;

    private Redact() {}

    /**
     * {@code url} for messages: scheme, host, port and path; user info dropped, the query shown as
     * {@code ?…}, control and non-ASCII characters escaped, at most 200 characters.
     */
    static String url(String url) {
        int end = url.length();
        int q = url.indexOf('?');
        int f = url.indexOf('#');
        if (q >= 0) {
            end = q;
        }
        if (f >= 0 && f < end) {
            end = f;
        }
        String head = url.substring(0, end);
        int scheme = head.indexOf("://");
        if (scheme >= 0) {
            int authorityEnd = head.indexOf('/', scheme + 3);
            String authority = head.substring(scheme + 3, authorityEnd < 0 ? head.length() : authorityEnd);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                head = head.substring(0, scheme + 3) + "…@" + head.substring(scheme + 3 + at + 1);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < head.length() && out.length() < MAX_URL_SHOWN; i++) {
            char c = head.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_URL_SHOWN && head.length() > MAX_URL_SHOWN) {
            out.append('…');
        }
        return end < url.length() ? out + (q >= 0 && q == end ? "?…" : "#…") : out.toString();
    }
}
