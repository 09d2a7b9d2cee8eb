package org.twiliochannels.core.settings;

import java.util.List;
import org.twiliochannels.core.HttpProxy;

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

    /** The proxy for a report: host, port, user name, whether a password is set; never the password. */
    static String describe(HttpProxy p) {
        return p.host() + ":" + p.port() + p.username().map(u -> " as user " + u + " (password set)").orElse("")
                + (p.nonProxyHosts().isEmpty() ? "" : ", not for " + String.join(", ", p.nonProxyHosts()));
    }

    /** {@code http://user:***@host:port}: a proxy URL with its password hidden. */
    static String redact(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int start = url.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int colon = url.indexOf(':', start);
        return colon >= 0 && colon < at ? url.substring(0, colon + 1) + "***" + url.substring(at) : url;
    }
}
