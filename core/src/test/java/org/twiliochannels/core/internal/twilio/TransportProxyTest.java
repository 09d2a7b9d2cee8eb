package org.twiliochannels.core.internal.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.ProxyPassword;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.testsupport.LoopbackProxy;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.internal.http.IoFailure;

/** Requests through a forward proxy the test starts on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportProxyTest {
    private static final String USER = "proxy-user";
    private static final String PASSWORD = "fake-proxy-pw";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private String serverOrigin() {
        return "http://" + server.url("/").host() + ":" + server.getPort();
    }

    private TwilioTransport transport(HttpProxy proxy) {
        return new TwilioTransport(TwilioTransportTest.config(server.url("/").uri()).proxy(proxy).build());
    }

    private static long in(Duration d) {
        return TwilioTransportTest.in(d);
    }

    @Test
    void plainHttpGoesThroughTheProxyInAbsoluteFormWithBasicCredentials() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{\"sid\":\"SM1\"}").build());
        try (LoopbackProxy proxy = LoopbackProxy.withBasicAuth(USER, PASSWORD, null);
             TwilioTransport transport = transport(HttpProxy.of("127.0.0.1", proxy.port())
                     .withCredentials(USER, ProxyPassword.of(PASSWORD)))) {
            assertEquals(201, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getStatusCode());
            List<LoopbackProxy.Received> received = proxy.received();
            String line = "POST " + serverOrigin() + TwilioTransportTest.MESSAGES + " HTTP/1.1";
            assertEquals(1, received.size(), "credentials go with the first request: no 407 round trip");
            assertEquals(line, received.get(0).requestLine());
            assertTrue(received.get(0).authorized());
        }
        RecordedRequest request = server.takeRequest();
        assertNull(request.getHeaders().get("Proxy-Authorization"), "proxy credentials stay with the proxy");
        assertTrue(request.getHeaders().get("Authorization").startsWith("Basic "));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aProxyThatRejectsTheCredentialsIsReportedAsSuch() throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.withBasicAuth(USER, PASSWORD, null);
             TwilioTransport transport = transport(HttpProxy.of("127.0.0.1", proxy.port())
                     .withCredentials(USER, ProxyPassword.of("wrong-fake-pw")))) {
            RuntimeException failure = assertThrows(RuntimeException.class, () -> transport.send(TwilioTransportTest.create(), in(Duration.ofSeconds(10))));
            assertTrue(failure instanceof HttpFailure, failure.toString());
            assertEquals(407, ((HttpFailure) failure).error().httpStatus());
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " asked for credentials (HTTP 407) and did not accept"
                    + " the ones configured: check the proxy user name and password",
                    ((HttpFailure) failure).error().message());
            assertFalse(failure.getMessage().contains("wrong-fake-pw"));
            assertEquals(1, proxy.received().size(), "one attempt, no retry with the same wrong credentials");
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void aProxyThatWantsCredentialsWhenNoneAreConfiguredSaysWhereToPutThem() throws Exception {
        try (LoopbackProxy proxy = LoopbackProxy.withBasicAuth(USER, PASSWORD, null);
             TwilioTransport transport = transport(HttpProxy.of("127.0.0.1", proxy.port()))) {
            HttpFailure failure = assertThrows(HttpFailure.class,
                    () -> transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()));
            assertEquals("the proxy 127.0.0.1:" + proxy.port() + " asked for credentials (HTTP 407) and did not accept"
                    + " the request without them: give the proxy's user name and password (HttpProxy.withCredentials,"
                    + " or user:password@ in HTTPS_PROXY)", failure.error().message());
        }
    }

    @Test
    void hostsListedAsNonProxyAreReachedDirectly() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
        try (LoopbackProxy proxy = LoopbackProxy.start(null);
             TwilioTransport transport = transport(HttpProxy.of("127.0.0.1", proxy.port())
                     .withCredentials(USER, ProxyPassword.of(PASSWORD))
                     .withNonProxyHosts(List.of(server.url("/").host().toUpperCase(java.util.Locale.ROOT))))) {
            assertEquals(201, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getStatusCode());
            assertEquals(List.of(), proxy.received());
        }
        assertEquals(1, server.getRequestCount());
        assertNull(server.takeRequest().getHeaders().get("Proxy-Authorization"),
                "proxy credentials are never sent to a host reached directly");
    }

    @Test
    void httpsGoesThroughAConnectTunnelToTheRegionalHost() throws Exception {
        try (ClosingPeer twilioStandIn = new ClosingPeer();
             LoopbackProxy proxy = LoopbackProxy.start(twilioStandIn.address());
             TwilioTransport transport = new TwilioTransport(TwilioConfig.builder()
                     .credentials(TestValues.credentials()).region("ie1").edge("dublin")
                     .proxy(HttpProxy.of("127.0.0.1", proxy.port())).build())) {
            IoFailure failure = assertThrows(IoFailure.class, () -> transport.send(TwilioTransportTest.create(), in(Duration.ofSeconds(10))));
            assertEquals("CONNECT api.dublin.ie1.twilio.com:443 HTTP/1.1", proxy.received().get(0).requestLine());
            assertFalse(failure.mayHaveReachedTwilio(), "the TLS handshake through the tunnel failed: " + failure.getMessage());
            assertTrue(failure.getMessage().startsWith("not sent: could not connect for POST"
                    + " https://api.dublin.ie1.twilio.com/2010-04-01/"), failure.getMessage());
        }
    }

    @Test
    void basicCredentialsGoWithTheConnectThatOpensATunnelAndNowhereElse() throws Exception {
        try (ClosingPeer twilioStandIn = new ClosingPeer();
             LoopbackProxy proxy = LoopbackProxy.withBasicAuth(USER, PASSWORD, twilioStandIn.address());
             TwilioTransport transport = new TwilioTransport(TwilioConfig.builder()
                     .credentials(TestValues.credentials())
                     .proxy(HttpProxy.of("127.0.0.1", proxy.port()).withCredentials(USER, ProxyPassword.of(PASSWORD)))
                     .build())) {
            IoFailure failure = assertThrows(IoFailure.class, () -> transport.send(TwilioTransportTest.create(), in(Duration.ofSeconds(10))));
            assertEquals(1, proxy.received().size(), "one CONNECT, accepted with the credentials");
            assertEquals("CONNECT api.twilio.com:443 HTTP/1.1", proxy.received().get(0).requestLine());
            assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), proxy.received().get(0).proxyAuthorization());
            assertFalse(failure.mayHaveReachedTwilio(), "the tunnel opened, the TLS handshake through it failed: "
                    + failure.getMessage());
            assertFalse(failure.getMessage().contains(PASSWORD), failure.getMessage());
        }
    }

    /** Accepts connections and closes them at once: a TLS handshake with it fails. */
    private static final class ClosingPeer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        ClosingPeer() throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.getInputStream().read();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "closing-peer");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
