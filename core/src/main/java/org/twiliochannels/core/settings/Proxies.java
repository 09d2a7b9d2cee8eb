package org.twiliochannels.core.settings;

import java.util.List;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.internal.Texts;

/**
 * How proxy settings are named and shown. Parsing and matching are {@link HttpProxy}'s alone
 * ({@link HttpProxy#fromSystemProperties}, {@link HttpProxy#fromUrl}, {@link HttpProxy#parseNoProxy},
 * {@link HttpProxy#bypasses}), the same code the transport uses, so that the doctor never says a
 * host is reached directly when the transport goes through the proxy. No text here contains a
 * proxy password.
 */
final class Proxies {
    static final String HOST_PROPERTY = "https.proxyHost";
    /** Every system property {@link HttpProxy#fromSystemProperties} reads. */
    static final List<String> PROPERTIES = List.of(HOST_PROPERTY, "https.proxyPort", "https.proxyUser",
            "https.proxyPassword", "http.nonProxyHosts");

    private Proxies() {}

    /** The proxy for a report: host, port, the user name masked, whether a password is set; never the password. */
    static String describe(HttpProxy p) {
        return p.host() + ":" + p.port() + p.username().map(u -> " as user " + Texts.masked(u) + " (password set)")
                .orElse("")
                + (p.nonProxyHosts().isEmpty() ? "" : ", not for " + String.join(", ", p.nonProxyHosts()));
    }

    /** {@code http://***ce:***@host:port}: a proxy URL with its password hidden and its user name masked. */
    static String redact(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int start = url.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        if (start > at) {
            return url;
        }
        int colon = url.indexOf(':', start);
        boolean password = colon >= 0 && colon < at;
        String user = url.substring(start, password ? colon : at);
        return url.substring(0, start) + (user.isEmpty() ? "" : Texts.masked(user)) + (password ? ":***" : "")
                + url.substring(at);
    }
}
