package org.twiliochannels.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A forward proxy for requests to Twilio: host, port, optional credentials and the hosts reached
 * directly. {@link #toString()} never shows the password.
 */
public final class HttpProxy {
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
     * @throws IllegalArgumentException when the host is blank or the port is not 1–65535
     */
    public static HttpProxy of(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("proxy host \"" + host + "\" must be a host name or address without"
                    + " spaces, e.g. proxy.example.com");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port " + port + " must be between 1 and 65535, e.g. 3128");
        }
        return new HttpProxy(host, port, null, null, List.of());
    }

    /** This proxy, authenticating with Basic credentials. */
    public HttpProxy withCredentials(String username, ProxyPassword password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new HttpProxy(host, port, username, password, nonProxyHosts);
    }

    /**
     * This proxy, bypassed for these hosts ({@code http.nonProxyHosts} / {@code NO_PROXY} style:
     * exact names, {@code *.example.com} or {@code .example.com}).
     */
    public HttpProxy withNonProxyHosts(List<String> hosts) {
        return new HttpProxy(host, port, username, password, Objects.requireNonNull(hosts, "hosts"));
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

    /** Hosts reached without the proxy. */
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

    @Override
    public String toString() {
        return "HttpProxy[" + (username == null ? "" : username + ":[redacted]@") + host + ":" + port
                + (nonProxyHosts.isEmpty() ? "" : ", direct for " + nonProxyHosts) + "]";
    }
}
