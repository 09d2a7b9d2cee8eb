package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Proxies from the JVM's properties and from HTTPS_PROXY / NO_PROXY, and the hosts they skip. */
class HttpProxyTest {
    private static final String FAKE_PASSWORD = "not-a-real-pw";

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void readsTheJvmHttpsProxyProperties() {
        HttpProxy proxy = HttpProxy.fromSystemProperties(props("https.proxyHost", "proxy.example.com",
                "https.proxyPort", "3128", "http.nonProxyHosts", "localhost|127.*|*.internal.example.com",
                "https.proxyUser", "alice", "https.proxyPassword", FAKE_PASSWORD)).orElseThrow();
        assertEquals("proxy.example.com", proxy.host());
        assertEquals(3128, proxy.port());
        assertEquals("alice", proxy.username().orElseThrow());
        assertEquals(ProxyPassword.of(FAKE_PASSWORD), proxy.password().orElseThrow());
        assertEquals(List.of("localhost", "127.*", "*.internal.example.com"), proxy.nonProxyHosts());
        assertEquals("HttpProxy[***ce:[redacted]@proxy.example.com:3128, direct for [localhost, 127.*,"
                + " *.internal.example.com]]", proxy.toString());
    }

    @Test
    void theUserNameIsNeverShownWhole() {
        HttpProxy proxy = HttpProxy.of("proxy.example.com", 3128)
                .withCredentials("ops-proxy-account", ProxyPassword.of(FAKE_PASSWORD));
        assertEquals("HttpProxy[***ount:[redacted]@proxy.example.com:3128]", proxy.toString());
        String config = TwilioConfig.builder().credentials(TwilioCredentials.of(
                AccountSid.of("AC" + "0".repeat(32)), AuthToken.of("0".repeat(32)))).proxy(proxy).build().toString();
        assertFalse(config.contains("ops-proxy-account") || config.contains(FAKE_PASSWORD), config);
        String pasted = assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("proxy", 1)
                .withCredentials("ops-proxy-account:" + FAKE_PASSWORD, ProxyPassword.of(FAKE_PASSWORD))).getMessage();
        assertFalse(pasted.contains("ops-proxy-account") || pasted.contains(FAKE_PASSWORD), pasted);
    }

    @Test
    void jvmPropertiesDefaultToPort443AndNoProxyWithoutAHost() {
        HttpProxy defaults = HttpProxy.fromSystemProperties(props("https.proxyHost", "proxy")).orElseThrow();
        assertEquals(443, defaults.port());
        assertEquals(List.of("localhost", "127.*", "[::1]"), defaults.nonProxyHosts(), "Java's default non-proxy hosts");
        assertTrue(defaults.bypasses("127.0.0.1") && defaults.bypasses("[::1]") && !defaults.bypasses("api.twilio.com"));
        assertEquals(Optional.empty(), HttpProxy.fromSystemProperties(props()));
        assertEquals(Optional.empty(), HttpProxy.fromSystemProperties(props("https.proxyHost", " ",
                "http.proxyHost", "plain-http-only")));
    }

    @Test
    void namesTheBadJvmProperty() {
        assertEquals("https.proxyPort \"31 28\" must have a port between 1 and 65535, e.g. 3128",
                assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromSystemProperties(
                        props("https.proxyHost", "proxy", "https.proxyPort", "31 28"))).getMessage());
        assertEquals("https.proxyUser is set but https.proxyPassword is not: give both, or neither",
                assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromSystemProperties(
                        props("https.proxyHost", "proxy", "https.proxyUser", "alice"))).getMessage());
        String m = assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromSystemProperties(
                props("https.proxyHost", "proxy", "https.proxyPassword", FAKE_PASSWORD))).getMessage();
        assertEquals("https.proxyPassword is set but https.proxyUser is not: give both, or neither", m);
    }

    @Test
    void readsHttpsProxyWithPercentEncodedCredentials() {
        HttpProxy proxy = HttpProxy.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://bob%40corp:p%3Ass%2Bw@proxy.corp.example:8080/",
                "NO_PROXY", "localhost, .internal.example, example.org:443, 10.0.0.0/8, [::1], *.svc")).orElseThrow();
        assertEquals("proxy.corp.example", proxy.host());
        assertEquals(8080, proxy.port());
        assertEquals("bob@corp", proxy.username().orElseThrow());
        assertEquals(ProxyPassword.of("p:ss+w"), proxy.password().orElseThrow());
        assertEquals(List.of(".localhost", ".internal.example", ".example.org", "10.0.0.0/8", "::1", "*.svc"),
                proxy.nonProxyHosts());
    }

    @Test
    void environmentValuesMayOmitSchemeAndPortAndUseLowerCaseNames() {
        HttpProxy proxy = HttpProxy.fromEnvironment(Map.of("https_proxy", "proxy.example.com",
                "no_proxy", "*")).orElseThrow();
        assertEquals(80, proxy.port());
        assertTrue(proxy.bypasses("api.twilio.com"), "NO_PROXY=* sends everything directly");
        assertEquals(Optional.empty(), HttpProxy.fromEnvironment(Map.of("NO_PROXY", "localhost")));
        assertEquals(Optional.empty(), HttpProxy.fromEnvironment(Map.of("HTTPS_PROXY", "")));
        assertEquals(3128, HttpProxy.fromEnvironment(Map.of("HTTPS_PROXY", "http://[::1]:3128")).orElseThrow().port());
    }

    @Test
    void rejectsProxyUrlsJavaCannotUseWithoutShowingThePassword() {
        String https = assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromEnvironment(
                Map.of("HTTPS_PROXY", "https://alice:" + FAKE_PASSWORD + "@proxy:3128"))).getMessage();
        assertEquals("HTTPS_PROXY \"https://[user info removed]@proxy:3128\" must be an http:// proxy URL:"
                + " twilio-channels does not speak TLS to the proxy itself (requests to Twilio stay encrypted end to end through"
                + " the proxy's tunnel); give http://proxy:3128", https);
        assertEquals("HTTPS_PROXY \"socks5://proxy:1080\" must be an http:// proxy URL, e.g."
                + " http://proxy.example.com:3128; socks5 proxies are not supported",
                assertThrows(IllegalArgumentException.class,
                        () -> HttpProxy.fromEnvironment(Map.of("HTTPS_PROXY", "socks5://proxy:1080"))).getMessage());
        String port = assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromEnvironment(
                Map.of("HTTPS_PROXY", "http://alice:" + FAKE_PASSWORD + "@proxy:99999"))).getMessage();
        assertEquals("HTTPS_PROXY \"http://[user info removed]@proxy:99999\" must have a port between 1 and 65535,"
                + " e.g. 3128", port);
        String noPassword = assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromEnvironment(
                Map.of("https_proxy", "http://alice@proxy:3128"))).getMessage();
        assertEquals("https_proxy \"http://[user info removed]@proxy:3128\" has a user name but no password: write"
                + " http://user:password@host:port (percent-encode ':', '@' and '%' in either)", noPassword);
        String escape = assertThrows(IllegalArgumentException.class, () -> HttpProxy.fromEnvironment(
                Map.of("HTTPS_PROXY", "http://alice:50%off@proxy:3128"))).getMessage();
        assertEquals("HTTPS_PROXY: the proxy password has an invalid %-escape at position 3; write '%' as %25", escape);
        assertEquals("HTTPS_PROXY \"http://proxy:3128/path\" must not have a path: give http://host:port, e.g."
                + " http://proxy.example.com:3128", assertThrows(IllegalArgumentException.class,
                        () -> HttpProxy.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy:3128/path"))).getMessage());
    }

    @Test
    void noProxyIsReadAsCurlReadsIt() {
        assertEquals(List.of(".example.com", ".internal.example", "*", "10.0.0.0/8", "192.168.1.5", ".localhost",
                "::1", "fd00::1"), HttpProxy.parseNoProxy(" example.com, .internal.example * 10.0.0.0/8,,"
                + "192.168.1.5:8080 localhost:3000,[::1]:443 fd00::1"));
        HttpProxy proxy = HttpProxy.fromUrl("proxy:3128").withNonProxyHosts(HttpProxy.parseNoProxy("twilio.com"));
        assertTrue(proxy.bypasses("twilio.com") && proxy.bypasses("api.dublin.ie1.twilio.com"));
        assertFalse(proxy.bypasses("nottwilio.com"));
        assertEquals(List.of(), HttpProxy.parseNoProxy(" , "));
    }

    @Test
    void nonProxyPatternsMatchAsDocumented() {
        HttpProxy proxy = HttpProxy.of("proxy", 3128).withNonProxyHosts(List.of("localhost", "*.svc.local",
                "10.*", ".corp.example", "192.168.0.0/16", "[::1]", "EXACT.example.com"));
        for (String direct : new String[] {"localhost", "LOCALHOST", "api.svc.local", "10.1.2.3", "corp.example",
                "a.b.corp.example", "192.168.40.1", "[::1]", "::1", "exact.example.com"}) {
            assertTrue(proxy.bypasses(direct), direct);
        }
        for (String proxied : new String[] {"api.twilio.com", "localhost.evil.example", "svc.local.evil", "110.1.2.3",
                "notcorp.example", "192.169.0.1", "[::2]", "sub.exact.example.com"}) {
            assertFalse(proxy.bypasses(proxied), proxied);
        }
        assertFalse(HttpProxy.of("proxy", 3128).bypasses("api.twilio.com"));
    }

    @Test
    void validatesHostPortAndCredentials() {
        assertEquals("proxy port 0 must be between 1 and 65535, e.g. 3128",
                assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("proxy", 0)).getMessage());
        assertEquals("proxy host \"http://proxy:3128\" must be a host name or address, not a URL, e.g."
                + " proxy.example.com; HttpProxy.fromEnvironment reads URLs such as http://proxy.example.com:3128",
                assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("http://proxy:3128", 3128)).getMessage());
        String userInfo = assertThrows(IllegalArgumentException.class,
                () -> HttpProxy.of("alice:" + FAKE_PASSWORD + "@proxy", 3128)).getMessage();
        assertFalse(userInfo.contains(FAKE_PASSWORD), userInfo);
        assertEquals("proxy user name must be non-empty and without ':' (Basic authentication cannot carry it), was"
                + " 3 characters with ':' at position 2 (not shown: it may hold the password)", assertThrows(IllegalArgumentException.class,
                        () -> HttpProxy.of("proxy", 1).withCredentials("a:b", ProxyPassword.of(FAKE_PASSWORD))).getMessage());
        assertEquals("non-proxy host \" \" must be a host name, address or pattern without spaces, e.g. *.example.com"
                + " or 10.0.0.0/8", assertThrows(IllegalArgumentException.class,
                        () -> HttpProxy.of("proxy", 1).withNonProxyHosts(List.of(" "))).getMessage());
    }

    @Test
    void neverShowsThePassword() {
        HttpProxy proxy = HttpProxy.of("proxy", 3128).withCredentials("alice", ProxyPassword.of(FAKE_PASSWORD));
        assertFalse(proxy.toString().contains(FAKE_PASSWORD));
        assertEquals("ProxyPassword[redacted]", proxy.password().orElseThrow().toString());
        assertEquals(proxy, HttpProxy.of("proxy", 3128).withCredentials("alice", ProxyPassword.of(FAKE_PASSWORD)));
        assertFalse(proxy.equals(HttpProxy.of("proxy", 3128).withCredentials("alice", ProxyPassword.of("other"))));
    }
}
