package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.testsupport.LoopbackProxy;

/**
 * A Boot application started the way a user starts one, in its own JVM, with Twilio's region and
 * edge as environment variables and the proxy (with Basic credentials) as {@code HTTPS_PROXY} or as
 * the JVM's {@code https.proxy*} properties: the send must reach the regional API host through a
 * {@code CONNECT} tunnel of the loopback proxy, and health must show that host and that proxy.
 * (Environment variables cannot be set inside a running JVM, hence the child process.)
 *
 * <p>The proxy tunnels every {@code CONNECT} to a TLS stand-in for Twilio on loopback, whose
 * certificate (for {@code api.dublin.ie1.twilio.com}, made with the JDK's keytool) is the only one
 * the child JVM trusts: if the proxy were ignored, the child could not complete a TLS handshake
 * with anyone else, so no request ever leaves the machine.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BootProxyProcessTest {
    private static final String HOST = "api.dublin.ie1.twilio.com";
    private static final String ACCOUNT = "ACf0e1d2c3b4a5968778695a4b3c2d1e0f";
    private static final String TOKEN = "1b2c3d4e5f60718293a4b5c6d7e8f901";
    private static final String SID = "SM0123456789abcdef0123456789abcdef";
    private static final String STORE_PASSWORD = "test-only-store";
    private static final String PROXY_USER = "proxy-user";
    private static final String PROXY_PASSWORD = "fake-proxy-pw";

    @TempDir
    Path dir;

    private Path store;
    private MockWebServer twilio;
    private LoopbackProxy proxy;

    @BeforeEach
    void start() throws Exception {
        store = certificate(dir);
        twilio = new MockWebServer();
        twilio.useHttps(serverContext(store).getSocketFactory());
        twilio.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .body("{\"sid\":\"" + SID + "\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"+14155550100\","
                        + "\"from\":\"+14155550199\",\"body\":\"Through the proxy\",\"status\":\"queued\","
                        + "\"num_segments\":\"1\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\","
                        + "\"uri\":\"/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + SID + ".json\"}").build());
        twilio.start(InetAddress.getLoopbackAddress(), 0);
        proxy = LoopbackProxy.withBasicAuth(PROXY_USER, PROXY_PASSWORD,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), twilio.getPort()));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        twilio.close();
    }

    @Test
    void httpsProxyFromTheEnvironmentCarriesTheSendToTheRegionalHost() throws Exception {
        String out = runApp(Map.of("HTTPS_PROXY", "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:"
                + proxy.port()), List.of());
        assertSentThroughTheProxy(out, "HEALTH proxy=ok: 127.0.0.1:" + proxy.port() + " as user ***user"
                + " (password set)");
    }

    @Test
    void theJvmProxyPropertiesCarryTheSendToTheRegionalHost() throws Exception {
        String out = runApp(Map.of(), List.of("-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + proxy.port(),
                "-Dhttps.proxyUser=" + PROXY_USER, "-Dhttps.proxyPassword=" + PROXY_PASSWORD));
        assertSentThroughTheProxy(out, "HEALTH proxy=ok: 127.0.0.1:" + proxy.port() + " as user ***user"
                + " (password set), not for localhost, 127.*, [::1]");
    }

    private void assertSentThroughTheProxy(String out, String proxyLine) throws InterruptedException {
        assertTrue(out.contains("RECEIPT " + SID + " "), out);
        assertEquals("CONNECT " + HOST + ":443 HTTP/1.1", proxy.received().get(0).requestLine(), out);
        assertEquals(1, proxy.received().size(), out);
        assertTrue(proxy.received().get(0).authorized(), "the CONNECT carries the proxy's credentials");
        RecordedRequest request = twilio.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json", request.getUrl().encodedPath());
        assertNull(request.getHeaders().get("Proxy-Authorization"));
        assertTrue(out.contains("HEALTH api host=ok: https://" + HOST + "\n"), out);
        assertTrue(out.contains(proxyLine + "\n"), out);
        assertFalse(out.contains(TOKEN) || out.contains(PROXY_PASSWORD), "no secret is printed or logged");
    }

    /** Runs {@link ProxiedBootApp} in a JVM of its own with these variables and options; its output. */
    private String runApp(Map<String, String> variables, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Djavax.net.ssl.trustStore=" + store,
                "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProxiedBootApp.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TWILIO_") || k.equalsIgnoreCase("HTTPS_PROXY")
                || k.equalsIgnoreCase("NO_PROXY") || k.equalsIgnoreCase("HTTP_PROXY"));
        env.put("TWILIO_ACCOUNT_SID", ACCOUNT);
        env.put("TWILIO_AUTH_TOKEN", TOKEN);
        env.put("TWILIO_PHONE_NUMBER", "+14155550199");
        env.put("TWILIO_REGION", "ie1");
        env.put("TWILIO_EDGE", "dublin");
        env.putAll(variables);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the application did not stop");
        String out = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** A key and certificate for {@link #HOST} only, made with the JDK's keytool. */
    private static Path certificate(Path dir) throws Exception {
        Path file = dir.resolve("twilio-stand-in.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "stand-in", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + HOST, "-ext", "SAN=dns:" + HOST, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + output);
        return file;
    }

    private static SSLContext serverContext(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(km.getKeyManagers(), null, null);
        return context;
    }
}
