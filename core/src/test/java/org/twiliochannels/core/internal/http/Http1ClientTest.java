package org.twiliochannels.core.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.testsupport.RawPeer;
import org.twiliochannels.core.internal.http.Http1Answer;
import org.twiliochannels.core.internal.http.Http1Client;
import org.twiliochannels.core.internal.http.Http1Connection;
import org.twiliochannels.core.internal.http.IoFailure;
import org.twiliochannels.core.internal.twilio.Created;
import org.twiliochannels.core.internal.twilio.TwilioTransportTest;
import org.twiliochannels.core.internal.twilio.TwilioTransportTest.Sending;

/** The transport's HTTP/1.1 client: keep-alive, stale connections, answer framing, deadlines, close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1ClientTest {
    private static final String CREATED = "{\"sid\":\"SM00000000000000000000000000000001\",\"status\":\"queued\"}";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private Sending transport(URI base) {
        return TwilioTransportTest.transport(TwilioTransportTest.config(base).build());
    }

    @Test
    void sequentialRequestsShareOneKeptAliveConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse.Builder().code(201).body(CREATED).build());
        }
        try (Sending transport = transport(server.url("/").uri())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(201, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getStatusCode());
            }
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(0, server.takeRequest().getConnectionIndex(), "request " + i + " reused the first connection");
        }
    }

    @Test
    void chunkedAndCloseDelimitedAnswersAreReadWhole() throws Exception {
        String big = "{\"messages\":[" + "{\"sid\":\"SM00000000000000000000000000000002\"},".repeat(2_000)
                + "{}],\"next_page_uri\":null}";
        server.enqueue(new MockResponse.Builder().code(200).chunkedBody(big, 777).build());
        try (Sending transport = transport(server.url("/").uri())) {
            Response r = transport.send(new Request(com.twilio.http.HttpMethod.GET, "api",
                    TwilioTransportTest.MESSAGES), TwilioTransportTest.soon());
            assertEquals(big, r.getContent());
        }
        try (KeepAlivePeer peer = new KeepAlivePeer(Framing.UNTIL_CLOSE);
             Sending transport = transport(peer.http())) {
            assertEquals(CREATED, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getContent());
            assertEquals(CREATED, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getContent());
            assertEquals(2, peer.connections(), "an answer delimited by the close is never followed by another request");
        }
    }

    @Test
    void aConnectionThePeerClosedWhileIdleIsNotWrittenTo() throws Exception {
        try (KeepAlivePeer peer = new KeepAlivePeer(Framing.LENGTH_THEN_CLOSE);
             Sending transport = transport(peer.http())) {
            for (int i = 0; i < 20; i++) {
                assertEquals(201, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getStatusCode(), "request " + i);
                peer.awaitClosed(i + 1);
            }
            assertEquals(20, peer.connections(), "each request on a fresh connection, none lost to a closed one");
            assertEquals(20, peer.requests());
        }
    }

    @Test
    void aWriteThePeerNeverReadsEndsAtTheDeadline() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT);
             Sending transport = transport(peer.http())) {
            Request huge = TwilioTransportTest.create();
            // more than the socket buffers of both ends hold (Linux: at most a few MB each); encoding it takes a
            // while on a busy machine, so the deadline leaves time for that before the write blocks
            huge.addPostParam("MediaUrl", "https://example.com/" + "x".repeat(24 * 1024 * 1024));
            long started = System.nanoTime();
            IoFailure failure = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> assertThrows(IoFailure.class,
                    () -> transport.send(huge, TwilioTransportTest.in(Duration.ofSeconds(5)))));
            assertTrue(failure.mayHaveReachedTwilio(), "part of the request was written: " + failure.getMessage());
            assertTrue(failure.getMessage().endsWith("before the deadline"), failure.getMessage());
            assertTrue(System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(5), "not before the deadline");
            assertEquals(1, peer.accepted());
        }
    }

    @Test
    void aConnectionIdleForTheLimitIsClosedInsteadOfReused() throws Exception {
        long[] now = {0};
        try (KeepAlivePeer peer = new KeepAlivePeer(Framing.LENGTH);
             Http1Client client = new Http1Client(java.util.Optional.empty(), null, TimeUnit.SECONDS.toNanos(10), null,
                     () -> now[0])) {
            Http1Client.Request get = new Http1Client.Request("GET", URI.create(peer.http() + "/x"), List.of(), null, "GET x");
            long limit = TimeUnit.SECONDS.toNanos(Http1Client.IDLE_LIMIT_SECONDS);
            assertEquals(201, client.exchange(get, TwilioTransportTest.in(Duration.ofSeconds(10)), limit).status());
            now[0] += limit - 1;
            assertEquals(201, client.exchange(get, TwilioTransportTest.in(Duration.ofSeconds(10)), limit).status());
            assertEquals(1, peer.connections(), "idle for less than the limit: reused");
            now[0] += limit;
            assertEquals(201, client.exchange(get, TwilioTransportTest.in(Duration.ofSeconds(10)), limit).status());
            assertEquals(2, peer.connections(), "idle for the limit: a new connection");
            peer.awaitClosedByClient(1);
            assertEquals(1, peer.closedByClient(), "the stale one was closed");
        }
    }

    @Test
    void closeEndsIdleConnectionsToo() throws Exception {
        try (KeepAlivePeer peer = new KeepAlivePeer(Framing.LENGTH)) {
            Sending transport = transport(peer.http());
            assertEquals(201, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getStatusCode());
            assertEquals(0, peer.closedByClient());
            transport.close();
            peer.awaitClosedByClient(1);
            assertEquals(1, peer.closedByClient());
        }
    }

    @Test
    void httpsKeepsOneTlsConnectionAliveAndChecksTheServersName(@TempDir Path dir) throws Exception {
        SSLContext tls = LoopbackCertificate.create(dir);
        try (KeepAlivePeer peer = tlsPeer(tls, Framing.LENGTH);
             Sending transport = trusting(tls, peer.https("localhost"))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(CREATED, transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()).getContent());
            }
            assertEquals(1, peer.connections(), "one TLS connection kept alive");
            assertEquals(3, peer.requests());
        }
        try (KeepAlivePeer peer = tlsPeer(tls, Framing.LENGTH);
             Sending byAddress = trusting(tls, peer.https("127.0.0.1"));
             Sending untrusted = TwilioTransportTest.transport(TwilioTransportTest.config(peer.https("localhost")).build())) {
            IoFailure wrongName = assertThrows(IoFailure.class, () -> byAddress.send(TwilioTransportTest.create(), TwilioTransportTest.soon()));
            assertFalse(wrongName.mayHaveReachedTwilio(), wrongName.getMessage());
            assertTrue(wrongName.getMessage().startsWith("not sent: could not connect for POST https://127.0.0.1:"),
                    wrongName.getMessage());
            IoFailure notTrusted = assertThrows(IoFailure.class, () -> untrusted.send(TwilioTransportTest.create(), TwilioTransportTest.soon()));
            assertFalse(notTrusted.mayHaveReachedTwilio(), notTrusted.getMessage());
            assertEquals(0, peer.requests(), "no request is written before the server is verified");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "HTTP/1.1 2010 Created\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "HTTP/1.1 201 Created\r\nContent-Length : 2\r\n\r\n{}",
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n folded: line\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 201 Created\r\nContent-Length: 20\r\n\r\n{}",
        // chunk sizes: a sign, spaces, control characters
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n 2\r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\n{}\r\n0\r\n\r\n",
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\u000b\r\n{}\r\n0\r\n\r\n",
        // Transfer-Encoding twice, even if both say chunked
        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        // Transfer-Encoding in an HTTP/1.0 answer is faulty framing
        "HTTP/1.0 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        // only HTTP/1.0 and HTTP/1.1
        "HTTP/1.2 201 Created\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.x 201 Created\r\nContent-Length: 2\r\n\r\n{}",
        // Content-Length is plain digits
        "HTTP/1.1 201 Created\r\nContent-Length: +2\r\n\r\n{}",
        // header names are tokens; values hold no control characters
        "HTTP/1.1 201 Created\r\nBad{Name}: x\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 201 Created\r\nX-Note: a\u0000b\r\nContent-Length: 2\r\n\r\n{}"})
    void anAnswerThatCannotBeFramedSafelyIsNoAnswer(String raw) throws Exception {
        try (CannedPeer peer = new CannedPeer(raw);
             Sending transport = transport(peer.http())) {
            IoFailure failure = assertThrows(IoFailure.class, () -> transport.send(TwilioTransportTest.create(), TwilioTransportTest.in(Duration.ofSeconds(10))));
            assertTrue(failure.mayHaveReachedTwilio(), "the request was written: " + failure.getMessage());
            assertTrue(failure.getMessage().startsWith("no answer to POST"), failure.getMessage());
        }
    }

    @Test
    void aStreamOfInterimAnswersIsNoAnswer() throws Exception {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        String created = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}";
        assertEquals(201, exchange(interim.repeat(Http1Connection.MAX_INTERIM_ANSWERS) + created).status());
        assertNoAnswer(interim.repeat(Http1Connection.MAX_INTERIM_ANSWERS + 1) + created);
    }

    @Test
    void unlimitedTrailersAreNoAnswer() throws Exception {
        String chunked = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n";
        assertEquals(201, exchange(chunked + "X-Trailer: 1\r\n\r\n").status());
        assertNoAnswer(chunked + "X-Trailer: 1234567\r\n".repeat(Http1Connection.MAX_HEAD_BYTES / 16) + "\r\n");
    }

    @Test
    void anAnswerBodyOverTheCapIsNoAnswerHoweverItIsFramed() throws Exception {
        int over = Http1Connection.MAX_BODY_BYTES + 1;
        assertTrue(Http1Connection.MAX_BODY_BYTES <= 8 << 20, "Twilio's resources are a few KB: 8 MiB is generous");
        String body = "x".repeat(over);
        assertNoAnswer("HTTP/1.1 200 OK\r\nContent-Length: " + over + "\r\n\r\n" + body);
        assertNoAnswer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(over) + "\r\n"
                + body + "\r\n0\r\n\r\n");
        assertNoAnswer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + ("100000\r\n" + "x".repeat(0x100000) + "\r\n").repeat(9) + "0\r\n\r\n");
        assertNoAnswer("HTTP/1.0 200 OK\r\n\r\n" + body);
        assertEquals(Http1Connection.MAX_BODY_BYTES, exchange("HTTP/1.1 200 OK\r\nContent-Length: "
                + Http1Connection.MAX_BODY_BYTES + "\r\n\r\n" + "x".repeat(Http1Connection.MAX_BODY_BYTES)).body().length);
    }

    @Test
    void anAnnouncedLengthIsNotAllocatedBeforeTheBytesArrive() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        String cut = "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n{\"sid\":";
        assertNoAnswer(cut); // warm-up: classes loaded, buffers made
        long before = threads.getCurrentThreadAllocatedBytes();
        assertNoAnswer(cut);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 300_000, "an announced 1,000,000 bytes of which 7 came allocated " + allocated + " bytes");
    }

    @Test
    void aSuccessOverTlsWithoutLengthOrChunksMayHaveBeenSent(@TempDir Path dir) throws Exception {
        SSLContext tls = LoopbackCertificate.create(dir);
        try (KeepAlivePeer peer = tlsPeer(tls, Framing.UNTIL_CLOSE);
             Sending transport = trusting(tls, peer.https("localhost"))) {
            IoFailure failure = assertThrows(IoFailure.class, () -> transport.send(TwilioTransportTest.create(), TwilioTransportTest.soon()));
            assertTrue(failure.mayHaveReachedTwilio(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith("no answer to POST https://localhost:"), failure.getMessage());
            assertTrue(failure.getMessage().contains("201 answer over TLS with neither Content-Length nor chunked"
                    + " framing"), failure.getMessage());
            assertEquals(1, peer.requests());
        }
    }

    @Test
    void aTargetWithNonAsciiCharactersIsWrittenPercentEncoded() throws Exception {
        try (CannedPeer peer = new CannedPeer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
             Http1Client client = new Http1Client(java.util.Optional.empty(), null, TimeUnit.SECONDS.toNanos(10), null)) {
            URI target = URI.create(peer.http() + "/caf\u00e9/%C3%A9?q=\u00fc\u20ac");
            Http1Client.Request get = new Http1Client.Request("GET", target, List.of(), null, "GET caf\u00e9");
            assertEquals(200, client.exchange(get, TwilioTransportTest.in(Duration.ofSeconds(10)),
                    TimeUnit.SECONDS.toNanos(10)).status());
            assertTrue(peer.request().startsWith("GET /caf%C3%A9/%C3%A9?q=%C3%BC%E2%82%AC HTTP/1.1\r\n"), peer.request());
        }
    }

    @Test
    void aMalformedAnswerToTheTunnelsConnectIsNotSent() throws Exception {
        try (CannedPeer proxy = new CannedPeer("HTTP/1.1 200 Connection established\r\nBad Name: x\r\n\r\n");
             Http1Client client = new Http1Client(java.util.Optional.of(org.twiliochannels.core.HttpProxy.of("127.0.0.1",
                     proxy.http().getPort())), null, TimeUnit.SECONDS.toNanos(10), null)) {
            Http1Client.Request post = new Http1Client.Request("POST",
                    URI.create("https://api.twilio.com/2010-04-01/Accounts/AC0/Messages.json"), List.of(),
                    "To=x".getBytes(StandardCharsets.UTF_8), "POST Messages");
            IoFailure failure = assertThrows(IoFailure.class, () -> client.exchange(post,
                    TwilioTransportTest.in(Duration.ofSeconds(10)), TimeUnit.SECONDS.toNanos(10)));
            assertFalse(failure.mayHaveReachedTwilio(), failure.getMessage());
            assertEquals("not sent: could not connect for POST Messages: IOException (a header name in the answer is not"
                    + " a token (character 4))", failure.getMessage());
            assertTrue(proxy.request().startsWith("CONNECT api.twilio.com:443 HTTP/1.1\r\n"), proxy.request());
        }
    }

    private static Http1Answer exchange(String raw) throws Exception {
        try (CannedPeer peer = new CannedPeer(raw);
             Http1Client client = new Http1Client(java.util.Optional.empty(), null, TimeUnit.SECONDS.toNanos(10), null)) {
            Http1Client.Request post = new Http1Client.Request("POST", URI.create(peer.http() + "/x"), List.of(),
                    "To=x".getBytes(StandardCharsets.UTF_8), "POST x");
            return client.exchange(post, TwilioTransportTest.in(Duration.ofSeconds(10)), TimeUnit.SECONDS.toNanos(10));
        }
    }

    private static void assertNoAnswer(String raw) {
        IoFailure failure = assertThrows(IoFailure.class, () -> exchange(raw));
        assertTrue(failure.mayHaveReachedTwilio(), "the request was written: " + failure.getMessage());
        assertTrue(failure.getMessage().startsWith("no answer to POST x: "), failure.getMessage());
    }

    @Test
    void aHeaderWithALineBreakIsRefusedBeforeAnyConnection() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT);
             Sending transport = transport(peer.http())) {
            Request r = TwilioTransportTest.create();
            r.addHeaderParam("X-Note", "one\r\nAuthorization: Basic injected");
            IoFailure failure = assertThrows(IoFailure.class, () -> transport.send(r, TwilioTransportTest.soon()));
            assertFalse(failure.mayHaveReachedTwilio(), failure.getMessage());
            assertTrue(failure.getMessage().contains("header X-Note holds a line break"), failure.getMessage());
            assertEquals(0, peer.accepted(), "no connection was opened");
        }
    }

    private static KeepAlivePeer tlsPeer(SSLContext tls, Framing framing) throws IOException {
        return new KeepAlivePeer(framing, tls.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress()));
    }

    /** A transport whose TLS trusts {@code tls}'s certificate. */
    private static Sending trusting(SSLContext tls, URI base) {
        return TwilioTransportTest.transport(TwilioTransportTest.config(base).build(), tls.getSocketFactory());
    }

    enum Framing { LENGTH, LENGTH_THEN_CLOSE, UNTIL_CLOSE }

    /** Reads one request and writes a canned raw answer, then closes. */
    private static final class CannedPeer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final java.util.concurrent.CompletableFuture<String> request = new java.util.concurrent.CompletableFuture<>();

        CannedPeer(String answer) throws IOException {
            Thread t = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    request.complete(RawPeer.readRequest(s.getInputStream()));
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // the client went away
                }
            }, "canned-peer");
            t.setDaemon(true);
            t.start();
        }

        URI http() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        /** The request as read, bytes as ISO-8859-1 characters (head) and UTF-8 (body). */
        String request() throws Exception {
            return request.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A certificate for {@code localhost} only (no IP address), made with the JDK's keytool, and a context trusting it. */
    private static final class LoopbackCertificate {
        static SSLContext create(Path dir) throws Exception {
            Path store = dir.resolve("loopback.p12");
            char[] password = "test-only-store".toCharArray();
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "loopback", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(password))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + output);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            km.init(keys, password);
            TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tm.init(keys);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
            return context;
        }
    }

    /** Answers every request with 201 and a message, framed as chosen; counts connections. */
    private static final class KeepAlivePeer implements AutoCloseable {
        private final ServerSocket socket;
        private final Framing framing;
        private final List<Socket> open = new ArrayList<>();
        private int connections;
        private int requests;
        private int closedByPeer;
        private int closedByClient;

        KeepAlivePeer(Framing framing) throws IOException {
            this(framing, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        KeepAlivePeer(Framing framing, ServerSocket socket) {
            this.framing = framing;
            this.socket = socket;
            Thread t = new Thread(this::acceptLoop, "keep-alive-peer");
            t.setDaemon(true);
            t.start();
        }

        URI http() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        URI https(String host) {
            return URI.create("https://" + host + ":" + socket.getLocalPort());
        }

        synchronized int connections() {
            return connections;
        }

        synchronized int requests() {
            return requests;
        }

        synchronized int closedByClient() {
            return closedByClient;
        }

        synchronized void awaitClosed(int n) throws InterruptedException {
            while (closedByPeer < n) {
                wait();
            }
        }

        synchronized void awaitClosedByClient(int n) throws InterruptedException {
            while (closedByClient < n) {
                wait();
            }
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    synchronized (this) {
                        connections++;
                        open.add(s);
                    }
                    Thread t = new Thread(() -> serve(s), "keep-alive-peer-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String request = RawPeer.readRequest(in);
                    if (request.isEmpty()) {
                        synchronized (this) {
                            closedByClient++;
                            notifyAll();
                        }
                        return;
                    }
                    synchronized (this) {
                        requests++;
                    }
                    byte[] body = CREATED.getBytes(StandardCharsets.UTF_8);
                    String head = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                            + (framing == Framing.UNTIL_CLOSE ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    if (framing != Framing.LENGTH) {
                        s.close();
                        synchronized (this) {
                            closedByPeer++;
                            notifyAll();
                        }
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (this) {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }
}
