package org.twiliochannels.core.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.ProxyPassword;

/**
 * Forward-proxy settings as the JVM and the shell write them: the system properties
 * {@code https.proxyHost}, {@code https.proxyPort} (default 443), {@code https.proxyUser},
 * {@code https.proxyPassword} and {@code http.nonProxyHosts} ({@code |}-separated), and the
 * variables {@code HTTPS_PROXY} ({@code http://[user:password@]host[:port]}) and {@code NO_PROXY}
 * (comma-separated). No message contains a proxy password.
 */
final class Proxies {
    static final String HOST_PROPERTY = "https.proxyHost";
    static final String PORT_PROPERTY = "https.proxyPort";
    static final String USER_PROPERTY = "https.proxyUser";
    static final String PASSWORD_PROPERTY = "https.proxyPassword";
    static final String NON_PROXY_PROPERTY = "http.nonProxyHosts";
    /** Every system property read here. */
    static final List<String> PROPERTIES = List.of(HOST_PROPERTY, PORT_PROPERTY, USER_PROPERTY, PASSWORD_PROPERTY,
            NON_PROXY_PROPERTY);

    private Proxies() {}

    /**
     * The proxy of the JVM's {@code https.proxy*} properties, when {@code https.proxyHost} is set.
     *
     * @throws IllegalArgumentException naming the property and the fix
     */
    static Optional<HttpProxy> fromSystemProperties(Properties props) {
        String host = props.getProperty(HOST_PROPERTY);
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String portText = props.getProperty(PORT_PROPERTY, "443").strip();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT_PROPERTY + " \"" + portText + "\" is not a port number; give"
                    + " the proxy's port, e.g. -D" + PORT_PROPERTY + "=3128.", e);
        }
        HttpProxy proxy = HttpProxy.of(host.strip(), port);
        String user = props.getProperty(USER_PROPERTY);
        String password = props.getProperty(PASSWORD_PROPERTY);
        if (user != null && !user.isBlank()) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException(USER_PROPERTY + " is set but " + PASSWORD_PROPERTY + " is not:"
                        + " give both, or neither for a proxy without authentication.");
            }
            proxy = proxy.withCredentials(user.strip(), ProxyPassword.of(password));
        }
        String nonProxy = props.getProperty(NON_PROXY_PROPERTY);
        if (nonProxy != null && !nonProxy.isBlank()) {
            proxy = proxy.withNonProxyHosts(split(nonProxy, "\\|"));
        }
        return Optional.of(proxy);
    }

    /**
     * Parses {@code HTTPS_PROXY}: {@code http://host:port}, {@code host:port}, with optional
     * {@code user:password@} (percent-encoded characters allowed).
     *
     * @throws IllegalArgumentException without the password
     */
    static HttpProxy fromUrl(String raw) {
        String v = raw.strip();
        String withScheme = v.contains("://") ? v : "http://" + v;
        URI u;
        try {
            u = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + redact(v) + "\" is not a proxy URL; write it as"
                    + " http://host:port, e.g. http://proxy.example.com:3128.", e);
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            throw new IllegalArgumentException("\"" + redact(v) + "\" asks for TLS to the proxy itself, which is not"
                    + " supported; most proxies take https traffic at http://host:port (the request to Twilio is"
                    + " still encrypted end to end).");
        }
        if (!scheme.equals("http") || u.getHost() == null) {
            throw new IllegalArgumentException("\"" + redact(v) + "\" is not a proxy URL; write it as"
                    + " http://host:port, e.g. http://proxy.example.com:3128.");
        }
        if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) {
            throw new IllegalArgumentException("\"" + redact(v) + "\" has a path; a proxy is only host and port, e.g."
                    + " http://proxy.example.com:3128.");
        }
        HttpProxy proxy = HttpProxy.of(u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
        String userInfo = u.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0 || colon == userInfo.length() - 1) {
                throw new IllegalArgumentException("\"" + redact(v) + "\" has a user name but no password; write"
                        + " http://user:password@host:port, or leave both out.");
            }
            proxy = proxy.withCredentials(userInfo.substring(0, colon), ProxyPassword.of(userInfo.substring(colon + 1)));
        }
        return proxy;
    }

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

    /** True when {@code host} is listed ({@code name}, {@code *.domain}, {@code .domain} or {@code *}). */
    static boolean bypasses(List<String> nonProxyHosts, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : nonProxyHosts) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals("*") || e.equals(h)) {
                return true;
            }
            String suffix = e.startsWith("*.") ? e.substring(1) : e.startsWith(".") ? e : null;
            if (suffix != null && (h.endsWith(suffix) || h.equals(suffix.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(String list, String separator) {
        return Arrays.stream(list.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
