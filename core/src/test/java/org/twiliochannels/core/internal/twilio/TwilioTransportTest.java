package org.twiliochannels.core.internal.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.testsupport.RawPeer;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.internal.http.IoFailure;

/** The JDK-client transport: one attempt, deadlines over every phase, and failures classified. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class TwilioTransportTest {
    public static final String MESSAGES = "/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/Messages.json";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    /** The transport as tests of other packages drive it: they cannot name the package-private class. */
    public interface Sending extends AutoCloseable {
        /** As {@code TwilioTransport.send}. */
        Response send(Request request, long deadlineNanos);

        @Override
        void close();
    }

    /** A transport for {@code config}, for another package's tests. */
    public static Sending transport(TwilioConfig config) {
        return sending(new TwilioTransport(config));
    }

    /** A transport for {@code config} with TLS sockets from {@code tlsSockets}, for another package's tests. */
    public static Sending transport(TwilioConfig config, javax.net.ssl.SSLSocketFactory tlsSockets) {
        return sending(new TwilioTransport(config, tlsSockets));
    }

    private static Sending sending(TwilioTransport transport) {
        return new Sending() {
            @Override
            public Response send(Request request, long deadlineNanos) {
                return transport.send(request, deadlineNanos);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    @Test
    void theTransportIsReachedOnlyThroughTwilioApi() {
        assertFalse(java.lang.reflect.Modifier.isPublic(TwilioTransport.class.getModifiers()),
                "TwilioTransport is package-private: other packages use TwilioApi");
    }

    public static TwilioConfig.Builder config(URI baseUrl) {
        return TwilioConfig.builder().credentials(TestValues.credentials()).apiBaseUrl(baseUrl);
    }

    /** A message create as the SDK builds it. */
    public static Request create() {
        Request r = new Request(HttpMethod.POST, "api", MESSAGES);
        r.setAuth(TestValues.ACCOUNT_SID, TestValues.AUTH_TOKEN);
        r.addPostParam("To", TestValues.TO);
        r.addPostParam("From", TestValues.SMS_FROM);
        r.addPostParam("Body", "héllo & welcome");
        return r;
    }

    public static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    /** A deadline well past the transport's own time-outs, so that they decide. */
    public static long soon() {
        return in(Duration.ofSeconds(60));
    }

    @Test
    void sendsOneRequestWithCredentialsFormBodyAndUserAgent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .setHeader("Twilio-Request-Id", "RQ1").body("{\"sid\":\"SM1\"}").build());
        try (TwilioTransport transport = new TwilioTransport(config(server.url("/").uri()).build())) {
            Response response = transport.send(create(), soon());
            assertEquals(201, response.getStatusCode());
            assertEquals("{\"sid\":\"SM1\"}", response.getContent());
            assertTrue(List.of(response.getHeaders()).stream()
                    .anyMatch(h -> h.getName().equalsIgnoreCase("Twilio-Request-Id") && h.getValue().equals("RQ1")));
        }
        RecordedRequest request = server.takeRequest();
        assertEquals("POST", request.getMethod());
        assertEquals(MESSAGES, request.getTarget());
        String basic = Base64.getEncoder().encodeToString((TestValues.ACCOUNT_SID + ":" + TestValues.AUTH_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("Basic " + basic, request.getHeaders().get("Authorization"));
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", request.getHeaders().get("Content-Type"));
        assertEquals("application/json", request.getHeaders().get("Accept"));
        assertTrue(request.getHeaders().get("User-Agent").startsWith("twilio-channels/"), request.getHeaders().get("User-Agent"));
        assertEquals(Map.of("To", List.of(TestValues.TO), "From", List.of(TestValues.SMS_FROM),
                "Body", List.of("héllo & welcome")), FormEncoding.parse(request.getBody().utf8()));
        assertEquals("HTTP/1.1", request.getVersion());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void serverErrorIsAnHttpFailureWithRetryAfterAndIsNotRepeated() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "7")
                .setHeader("Content-Type", "application/json")
                .body("{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":503}").build());
        server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
        try (TwilioTransport transport = new TwilioTransport(config(server.url("/").uri()).build())) {
            HttpFailure failure = assertThrows(HttpFailure.class, () -> transport.send(create(), soon()));
            assertEquals(503, failure.error().httpStatus());
            assertEquals(20500, failure.error().code().getAsInt());
            assertEquals(Duration.ofSeconds(7), failure.retryAfter(Instant.EPOCH).orElseThrow());
        }
        server.takeRequest();
        assertNull(server.takeRequest(300, TimeUnit.MILLISECONDS), "the SDK's replay of 5xx must stay off");
    }

    @Test
    void clientErrorKeepsTwilioCodeAndMessage() {
        server.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
                .body("{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\",\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}")
                .build());
        try (TwilioTransport transport = new TwilioTransport(config(server.url("/").uri()).build())) {
            HttpFailure failure = assertThrows(HttpFailure.class, () -> transport.send(create(), soon()));
            assertEquals(21211, failure.error().code().getAsInt());
            assertEquals("Invalid 'To' Phone Number", failure.error().message());
            assertTrue(failure.retryAfter(Instant.EPOCH).isEmpty());
        }
    }

    @Test
    void answersOutsideTwoHundredsThatAreNotErrorsAreFailuresThatNameTheStatus() {
        for (int status : new int[] {300, 301, 302, 303, 304, 305, 307, 308, 399}) {
            server.enqueue(new MockResponse.Builder().code(status).setHeader("Location", "/elsewhere?k=v")
                    .setHeader("Retry-After", "1").body(status == 304 ? "" : "<html>moved</html>").build());
            try (TwilioTransport transport = new TwilioTransport(config(server.url("/").uri()).build())) {
                HttpFailure failure = assertThrows(HttpFailure.class, () -> transport.send(create(), soon()), "" + status);
                assertEquals(status, failure.error().httpStatus());
                assertTrue(failure.error().message().contains("answered HTTP " + status), failure.error().message());
                assertTrue(failure.error().message().contains("TWILIO_API_BASE_URL"), failure.error().message());
                assertFalse(failure.error().message().contains("k=v"), failure.error().message());
                assertTrue(failure.retryAfter(Instant.EPOCH).isEmpty(), "a redirect is not retried, whatever it asks");
            }
        }
        assertEquals(9, server.getRequestCount(), "redirects are never followed");
    }

    @Test
    void retryAfterSaturatesInsteadOfOverflowingAndIsNeverNegative() {
        Instant now = Instant.parse("2024-05-01T10:00:00Z");
        assertEquals(Duration.ofSeconds(99_999_999_999L), TwilioTransport.retryAfter("99999999999").from(now));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), TwilioTransport.retryAfter("99999999999999999999999").from(now));
        assertTrue(TwilioTransport.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT").from(now).toDays() > 365L * 7000);
        assertEquals(Duration.ZERO, TwilioTransport.retryAfter("Thu, 01 Jan 1970 00:00:00 GMT").from(now));
        assertEquals(Duration.ZERO, TwilioTransport.retryAfter("0").from(now));
        assertNull(TwilioTransport.retryAfter("-5"), "not a delay-seconds value: ignored");
        assertNull(TwilioTransport.retryAfter("soon"));
    }

    @Test
    void aRetryAfterDateIsCountedFromTheClockGivenNotTheSystemClock() {
        HttpFailure.RetryAfter date = TwilioTransport.retryAfter("Wed, 01 May 2024 10:00:04 GMT");
        assertEquals(Instant.parse("2024-05-01T10:00:04Z"), date.date());
        assertEquals(Duration.ofSeconds(4), date.from(Instant.parse("2024-05-01T10:00:00Z")));
        assertEquals(Duration.ZERO, date.from(Instant.parse("2024-05-01T10:00:05Z")), "a date past is no wait");
    }

    @Test
    void refusedConnectionWasNotSent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (TwilioTransport transport = new TwilioTransport(config(URI.create("http://127.0.0.1:" + port)).build())) {
            IoFailure failure = assertThrows(IoFailure.class,
                    () -> transport.send(create(), in(Duration.ofSeconds(10))));
            assertFalse(failure.mayHaveReachedTwilio(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith("not sent: could not connect for POST http://127.0.0.1:" + port
                    + MESSAGES + ": ConnectException"), failure.getMessage());
        }
    }

    @Test
    void serverThatReadsTheRequestThenClosesMayHaveReceivedIt() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.READ_THEN_CLOSE);
             TwilioTransport transport = new TwilioTransport(config(peer.http()).build())) {
            IoFailure failure = assertThrows(IoFailure.class,
                    () -> transport.send(create(), in(Duration.ofSeconds(10))));
            assertTrue(failure.mayHaveReachedTwilio(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith("no answer to POST"), failure.getMessage());
            assertTrue(peer.received().get(0).contains("Body=h%C3%A9llo+%26+welcome"), "the whole request was written");
        }
    }

    @Test
    void deadlineBoundsATlsHandshakeThatNeverAnswers() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT);
             TwilioTransport transport = new TwilioTransport(config(peer.https())
                     .connectTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ofSeconds(60)).build())) {
            IoFailure failure = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThrows(IoFailure.class,
                    () -> transport.send(create(), in(Duration.ofSeconds(2)))));
            assertFalse(failure.mayHaveReachedTwilio(), "the handshake never finished, so nothing was written: "
                    + failure.getMessage());
            assertTrue(failure.getMessage().startsWith("not sent: could not connect for POST https://127.0.0.1:"),
                    failure.getMessage());
            assertEquals(1, peer.accepted(), "the TCP connection was made, the TLS handshake never answered");
        }
    }

    @Test
    void readTimeoutBoundsASilentServerAfterTheRequest() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.READ_THEN_SILENT);
             TwilioTransport transport = new TwilioTransport(config(peer.http())
                     .readTimeout(Duration.ofMillis(500)).build())) {
            IoFailure failure = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThrows(IoFailure.class,
                    () -> transport.send(create(), in(Duration.ofSeconds(30)))));
            assertTrue(failure.mayHaveReachedTwilio(), failure.getMessage());
            assertTrue(failure.getMessage().endsWith("within the read timeout (500 ms)"), failure.getMessage());
        }
    }

    @Test
    void noTimeLeftMeansNotSentAndNoConnection() throws Exception {
        try (TwilioTransport transport = new TwilioTransport(config(server.url("/").uri()).build())) {
            IoFailure failure = assertThrows(IoFailure.class,
                    () -> transport.send(create(), System.nanoTime() - 1));
            assertFalse(failure.mayHaveReachedTwilio());
            assertEquals("not sent: no time left before the deadline for POST http://" + server.url("/").host() + ":"
                    + server.getPort() + MESSAGES, failure.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void closedTransportRefusesRequestsAsNotSent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
        TwilioTransport transport = new TwilioTransport(config(server.url("/").uri()).build());
        assertEquals(201, transport.send(create(), soon()).getStatusCode());
        assertTimeoutPreemptively(Duration.ofSeconds(5), transport::close);
        IoFailure failure = assertThrows(IoFailure.class, () -> transport.send(create(), soon()));
        assertFalse(failure.mayHaveReachedTwilio());
        assertTrue(failure.getMessage().startsWith("not sent: this client is closed"), failure.getMessage());
        transport.close();
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void closeCancelsARequestInFlight() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.READ_THEN_SILENT)) {
            TwilioTransport transport = new TwilioTransport(config(peer.http()).build());
            Thread closer = new Thread(() -> {
                peer.awaitRequest();
                transport.close();
            });
            closer.start();
            IoFailure failure = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThrows(IoFailure.class,
                    () -> transport.send(create(), in(Duration.ofSeconds(60)))));
            closer.join();
            assertTrue(failure.mayHaveReachedTwilio(), "the request was written before close(): " + failure.getMessage());
            assertTrue(failure.getMessage().endsWith("this client was closed"), failure.getMessage());
        }
    }

    @Test
    void regionAndEdgeSelectTwilioHostUnlessABaseUrlIsSet() throws Exception {
        TwilioConfig.Builder twilio = TwilioConfig.builder().credentials(TestValues.credentials());
        URL sdkUrl = new URL("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&PageSize=20");
        assertEquals(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&PageSize=20"),
                new TwilioTransport(twilio.build()).target(sdkUrl));
        assertEquals(URI.create("https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&PageSize=20"),
                new TwilioTransport(twilio.region("ie1").edge("dublin").build()).target(sdkUrl));
        assertEquals(URI.create("https://content.sydney.au1.twilio.com/v1/Content"),
                new TwilioTransport(twilio.region("au1").edge("sydney").build())
                        .target(new URL("https://content.twilio.com/v1/Content")));
        assertEquals(URI.create("http://127.0.0.1:8080/prefix/2010-04-01/Accounts/AC1/Messages.json?To=%2B1&PageSize=20"),
                new TwilioTransport(twilio.apiBaseUrl(URI.create("http://127.0.0.1:8080/prefix")).build()).target(sdkUrl));
    }

    @Test
    void requestsOnlyAsManyAtOnceAsConfiguredAndReportsTheWaitAsNotSent() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.READ_THEN_SILENT)) {
            TwilioTransport transport = new TwilioTransport(config(peer.http()).maxConcurrentRequests(1).build());
            Thread first = new Thread(() -> {
                try {
                    transport.send(create(), in(Duration.ofSeconds(20)));
                } catch (IoFailure expected) {
                    // closed below
                }
            });
            first.start();
            peer.awaitRequest();
            IoFailure failure = assertThrows(IoFailure.class,
                    () -> transport.send(create(), in(Duration.ofMillis(300))));
            assertFalse(failure.mayHaveReachedTwilio());
            assertTrue(failure.getMessage().startsWith("not sent: all 1 connections stayed busy"), failure.getMessage());
            assertEquals(1, peer.accepted());
            transport.close();
            first.join();
        }
    }

    @Test
    void theFormBodyCarriesEveryValueAsGivenPercentEncoded() {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        params.put("To", List.of(TestValues.TO));
        params.put("SendAt", List.of("2026-12-01T10:15:00"));
        params.put("Body", List.of("SendAt=2026-12-01T10:15:00 & caf\u00e9"));
        assertEquals("To=%2B14155551234&SendAt=2026-12-01T10%3A15%3A00&Body=SendAt%3D2026-12-01T10%3A15%3A00+%26+caf%C3%A9",
                TwilioTransport.formBody(params), "nothing is rewritten on the way: SendAt is TwilioApi's to write");
    }
}
