package org.twiliochannels.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.twiliochannels.core.internal.Texts;

/**
 * A forward proxy for requests to Twilio: host, port, optional Basic credentials and the hosts
 * reached directly. Requests to {@code https} URLs go through a {@code CONNECT} tunnel (the proxy
 * never sees their content); requests to plain {@code http} URLs (a test server) are sent to the
 * proxy in absolute form. Build one with {@link #of(String, int)}, or read the JVM's standard
 * properties with {@link #fromSystemProperties(Properties)}, the {@code HTTPS_PROXY} /
 * {@code NO_PROXY} variables with {@link #fromEnvironment(Map)}, or one proxy URL with
 * {@link #fromUrl(String)}. These are the only parsers of proxy settings in the library: the
 * settings doctor uses them and {@link #bypasses(String)} as the transport does.
 *
 * <p>Basic credentials go to the proxy only: with the {@code CONNECT} that opens a tunnel (every
 * request to Twilio's https API), or with a plain-http request sent to the proxy; never to a host
 * reached directly or through the tunnel. No JVM setting is needed for them.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class HttpProxy {
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})/(\\d{1,2})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    /** Java's {@code http.nonProxyHosts} when the property is not set. */
    private static final String JVM_NON_PROXY_DEFAULT = "localhost|127.*|[::1]";

    private final String host;
    private final int port;
    private final String username;
    private final ProxyPassword password;
    private final List<String> nonProxyHosts;

    private HttpProxy(String host, int port, String username, ProxyPassword password, List<String> nonProxyHosts) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.nonProxyHosts = List.copyOf(nonProxyHosts);
    }

    /**
     * A proxy without credentials.
     *
     * @throws IllegalArgumentException when the host is blank, holds a scheme, path or user info,
     *                                  or the port is not 1–65535
     */
    public static HttpProxy of(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("proxy host \"" + host + "\" must be a host name or address without"
                    + " spaces, e.g. proxy.example.com");
        }
        if (host.contains("@")) {
            throw new IllegalArgumentException("proxy host must be a host name or address, without user info"
                    + " ('@'); give credentials with withCredentials(username, password)");
        }
        if (host.contains("/")) {
            throw new IllegalArgumentException("proxy host \"" + host + "\" must be a host name or address, not a URL,"
                    + " e.g. proxy.example.com; HttpProxy.fromEnvironment reads URLs such as http://proxy.example.com:3128");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port " + port + " must be between 1 and 65535, e.g. 3128");
        }
        return new HttpProxy(host, port, null, null, List.of());
    }

    /**
     * This proxy, with Basic credentials. They are sent with every request to the proxy (not after
     * a 407 challenge), and only to the proxy: never to a host reached directly or through a
     * tunnel. A proxy that still answers 407 ends the request with a {@code TwilioRejectedException}
     * saying so.
     *
     * @throws IllegalArgumentException when the user name is empty or contains ':'
     */
    public HttpProxy withCredentials(String username, ProxyPassword password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("proxy user name must be non-empty and without ':' (Basic"
                    + " authentication cannot carry it), was " + (username.isEmpty() ? "empty" : username.length()
                    + " characters with ':' at position " + (username.indexOf(':') + 1) + " (not shown: it may hold"
                    + " the password)"));
        }
        return new HttpProxy(host, port, username, password, nonProxyHosts);
    }

    /**
     * This proxy, bypassed for these hosts ({@code http.nonProxyHosts} / {@code NO_PROXY} style):
     * an exact name or address; {@code *.example.com} or {@code *example.com} (ends with);
     * {@code 10.*} (starts with); {@code .example.com} (the domain and every host in it); an IPv4
     * range such as {@code 10.0.0.0/8} (for hosts written as addresses); {@code *} (every host).
     * Names are compared without case and never looked up.
     *
     * @throws IllegalArgumentException when an entry is blank or holds spaces
     */
    public HttpProxy withNonProxyHosts(List<String> hosts) {
        Objects.requireNonNull(hosts, "hosts");
        List<String> patterns = new ArrayList<>();
        for (String h : hosts) {
            Objects.requireNonNull(h, "hosts contains null");
            String p = h.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty() || p.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("non-proxy host \"" + h + "\" must be a host name, address or"
                        + " pattern without spaces, e.g. *.example.com or 10.0.0.0/8");
            }
            patterns.add(p);
        }
        return new HttpProxy(host, port, username, password, patterns);
    }

    /**
     * The proxy the JVM's standard properties describe, for requests to Twilio (which are https):
     * {@code https.proxyHost}, {@code https.proxyPort} (default 443, as Java's), {@code http.nonProxyHosts}
     * ({@code |}-separated, Java's syntax; when absent, Java's default {@code localhost|127.*|[::1]})
     * and, as a common convention, {@code https.proxyUser} with
     * {@code https.proxyPassword}. Empty when {@code https.proxyHost} is absent or blank.
     * {@code http.proxyHost} alone is not used: Java applies it to plain http only.
     *
     * @param properties e.g. {@link System#getProperties()}
     * @throws IllegalArgumentException when a property is invalid, naming it (never showing the password)
     */
    public static Optional<HttpProxy> fromSystemProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        String host = properties.getProperty("https.proxyHost");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String portText = properties.getProperty("https.proxyPort", "443").strip();
        int port = port("https.proxyPort", portText);
        HttpProxy proxy;
        try {
            proxy = of(host.strip(), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("https.proxyHost: " + e.getMessage(), e);
        }
        String user = properties.getProperty("https.proxyUser");
        String password = properties.getProperty("https.proxyPassword");
        boolean hasUser = user != null && !user.isEmpty();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasUser != hasPassword) {
            throw new IllegalArgumentException(hasUser
                    ? "https.proxyUser is set but https.proxyPassword is not: give both, or neither"
                    : "https.proxyPassword is set but https.proxyUser is not: give both, or neither");
        }
        if (hasUser) {
            try {
                proxy = proxy.withCredentials(user, ProxyPassword.of(password));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("https.proxyUser: " + e.getMessage(), e);
            }
        }
        String nonProxy = properties.getProperty("http.nonProxyHosts", JVM_NON_PROXY_DEFAULT);
        if (nonProxy != null && !nonProxy.isBlank()) {
            List<String> hosts = new ArrayList<>();
            for (String h : nonProxy.split("\\|")) {
                if (!h.isBlank()) {
                    hosts.add(h.strip());
                }
            }
            try {
                proxy = proxy.withNonProxyHosts(hosts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("http.nonProxyHosts: " + e.getMessage(), e);
            }
        }
        return Optional.of(proxy);
    }

    /**
     * The proxy the usual environment variables describe: {@code HTTPS_PROXY} (else
     * {@code https_proxy}) as {@code http://[user:password@]host[:port]} (the scheme may be left
     * out; the port defaults to 80; user and password are percent-decoded), and {@code NO_PROXY}
     * (else {@code no_proxy}), comma-separated, where a name also covers the hosts in its domain
     * as curl reads it ({@code example.com} → {@code .example.com}), a port after a name is ignored,
     * and {@code *} means every host. Empty when {@code HTTPS_PROXY} is absent or blank.
     *
     * @param environment e.g. {@link System#getenv()}
     * @throws IllegalArgumentException when a value is invalid, naming the variable (never showing the password)
     */
    public static Optional<HttpProxy> fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String name = "HTTPS_PROXY";
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            name = "https_proxy";
            value = environment.get(name);
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        HttpProxy proxy = parseUrl(name, value.strip());
        String noProxyName = "NO_PROXY";
        String noProxy = environment.get(noProxyName);
        if (noProxy == null || noProxy.isBlank()) {
            noProxyName = "no_proxy";
            noProxy = environment.get(noProxyName);
        }
        if (noProxy != null && !noProxy.isBlank()) {
            try {
                proxy = proxy.withNonProxyHosts(parseNoProxy(noProxy));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(noProxyName + ": " + e.getMessage(), e);
            }
        }
        return Optional.of(proxy);
    }

    /**
     * The proxy of a URL as {@code HTTPS_PROXY} holds it: {@code http://[user:password@]host[:port]}
     * (the scheme may be left out; the port defaults to 80; user and password are percent-decoded).
     *
     * @throws IllegalArgumentException when it is not such a URL (never showing the password)
     */
    public static HttpProxy fromUrl(String url) {
        Objects.requireNonNull(url, "url");
        return parseUrl("proxy URL", url.strip());
    }

    /**
     * The hosts of a {@code NO_PROXY} value, read as curl reads it, as patterns for
     * {@link #withNonProxyHosts(List)}: entries separated by commas or spaces; a name also covers
     * the hosts in its domain ({@code example.com} and {@code .example.com} both give
     * {@code .example.com}); a {@code :port} after a name or address is ignored; an address stays
     * an exact address and {@code 10.0.0.0/8} a range; {@code *} means every host.
     */
    public static List<String> parseNoProxy(String noProxy) {
        Objects.requireNonNull(noProxy, "noProxy");
        List<String> hosts = new ArrayList<>();
        for (String entry : noProxy.split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                hosts.add(curlEntry(entry));
            }
        }
        return List.copyOf(hosts);
    }

    /** A {@code NO_PROXY} entry in this class's pattern syntax. */
    private static String curlEntry(String entry) {
        String e = entry;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            return close > 0 ? e.substring(1, close) : e;
        }
        int colon = e.lastIndexOf(':');
        if (colon > 0 && e.indexOf(':') == colon && e.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            e = e.substring(0, colon);
        }
        if (e.equals("*") || e.startsWith(".") || e.startsWith("*") || e.contains("/") || e.contains(":")
                || IPV4.matcher(e).matches()) {
            return e;
        }
        return "." + e;
    }

    private static HttpProxy parseUrl(String name, String value) {
        int schemeEnd = value.indexOf("://");
        String scheme = schemeEnd < 0 ? "http" : value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = schemeEnd < 0 ? value : value.substring(schemeEnd + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String afterAt = rest.substring(at + 1);
        String shown = schemeEnd < 0 ? "" : value.substring(0, schemeEnd + 3);
        shown = shown + (userInfo == null ? "" : "[user info removed]@") + afterAt;
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(name + " \"" + shown + "\" must be an http:// proxy URL"
                    + (scheme.equals("https") ? ": twilio-channels does not speak TLS to the proxy itself (requests"
                    + " to Twilio stay encrypted end to end through the proxy's tunnel); give http://" + afterAt
                    : ", e.g. http://proxy.example.com:3128; " + scheme + " proxies are not supported"));
        }
        int slash = afterAt.indexOf('/');
        String authority = slash < 0 ? afterAt : afterAt.substring(0, slash);
        if (slash >= 0 && !afterAt.substring(slash).equals("/")) {
            throw new IllegalArgumentException(name + " \"" + shown + "\" must not have a path: give"
                    + " http://host:port, e.g. http://proxy.example.com:3128");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(name + " \"" + shown + "\" has an unclosed '[' in its host");
            }
            host = authority.substring(0, close + 1);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(name + " \"" + shown + "\" must be http://host:port");
                }
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = portText == null || portText.isEmpty() ? 80 : port(name, shown, portText);
        if (host.isEmpty()) {
            throw new IllegalArgumentException(name + " \"" + shown + "\" has no host: give http://host:port,"
                    + " e.g. http://proxy.example.com:3128");
        }
        HttpProxy proxy;
        try {
            proxy = of(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = percentDecode(name, colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            String password = colon < 0 ? "" : percentDecode(name, userInfo.substring(colon + 1), "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException(name + " \"" + shown + "\" has a user name but no password: write"
                        + " http://user:password@host:port (percent-encode ':', '@' and '%' in either)");
            }
            try {
                proxy = proxy.withCredentials(user, ProxyPassword.of(password));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
        return proxy;
    }

    private static int port(String name, String text) {
        return port(name, text, text);
    }

    private static int port(String name, String shown, String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " \"" + shown + "\" must have a port between 1 and 65535,"
                    + " e.g. 3128");
        }
        return port;
    }

    /** Percent-decodes (not '+'); a malformed escape is reported by position only. */
    private static String percentDecode(String name, String s, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException(name + ": the proxy " + what + " has an incomplete %-escape"
                            + " at position " + (i + 1) + "; write '%' as %25");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException(name + ": the proxy " + what + " has an invalid %-escape"
                            + " at position " + (i + 1) + "; write '%' as %25");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * True when requests to {@code host} (a name or address, IPv6 with or without brackets) go
     * directly, by {@link #nonProxyHosts()}.
     */
    public boolean bypasses(String host) {
        Objects.requireNonNull(host, "host");
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String p : nonProxyHosts) {
            String pattern = p.startsWith("[") && p.endsWith("]") ? p.substring(1, p.length() - 1) : p;
            if (matches(pattern, h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String p, String h) {
        if (p.equals("*")) {
            return true;
        }
        Matcher cidr = IPV4_CIDR.matcher(p);
        if (cidr.matches()) {
            return IPV4.matcher(h).matches() && inRange(h, cidr.group(1), Integer.parseInt(cidr.group(2)));
        }
        if (p.startsWith("*")) {
            return h.endsWith(p.substring(1));
        }
        if (p.endsWith("*")) {
            return h.startsWith(p.substring(0, p.length() - 1));
        }
        if (p.startsWith(".")) {
            return h.endsWith(p) || h.equals(p.substring(1));
        }
        return h.equals(p);
    }

    private static boolean inRange(String address, String network, int bits) {
        long a = ipv4(address);
        long n = ipv4(network);
        if (a < 0 || n < 0 || bits > 32) {
            return false;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (a & mask) == (n & mask);
    }

    private static long ipv4(String s) {
        long v = 0;
        for (String part : s.split("\\.")) {
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return -1;
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /** The proxy's host. */
    public String host() {
        return host;
    }

    /** The proxy's port. */
    public int port() {
        return port;
    }

    /** The user name for proxy authentication, when set. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The password for proxy authentication, when set. */
    public Optional<ProxyPassword> password() {
        return Optional.ofNullable(password);
    }

    /** Hosts reached without the proxy, as patterns (see {@link #withNonProxyHosts(List)}), in lower case. */
    public List<String> nonProxyHosts() {
        return nonProxyHosts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpProxy p && host.equals(p.host) && port == p.port && Objects.equals(username, p.username)
                && Objects.equals(password, p.password) && nonProxyHosts.equals(p.nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, nonProxyHosts);
    }

    /**
     * {@code HttpProxy[***ce:[redacted]@host:port, direct for [...]]}: never the password, and the
     * user name masked as addresses are.
     */
    @Override
    public String toString() {
        return "HttpProxy[" + (username == null ? "" : Texts.masked(username) + ":[redacted]@") + host + ":" + port
                + (nonProxyHosts.isEmpty() ? "" : ", direct for " + nonProxyHosts) + "]";
    }
}
