package org.twiliochannels.core.internal.twilio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.TwilioRestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.testsupport.RawPeer;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.ProxyPassword;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.testsupport.CapturedOutput;
import org.twiliochannels.core.testsupport.LoopbackProxy;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.internal.http.IoFailure;

/**
 * Every logger at its most verbose — slf4j at TRACE, java.util.logging (where the JDK's own
 * networking and {@code System.Logger} write) at ALL — while requests succeed, fail and time out
 * through the SDK and the transport: no line may hold the token, the Basic credentials, the proxy
 * password, the full recipient number or the message body.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportLogSilenceTest {
    private static final String BODY = "meet me at the usual place 7731";
    private static final String PROXY_PASSWORD = "fake-proxy-pw-5150";
    /** The test's own server writes its requests to these loggers; they are not the library's. */
    private static final List<String> TEST_SERVER_LOGGERS = List.of("mockwebserver3", "okhttp3");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Test
    void noLoggerWritesCredentialsNumbersOrBodiesAtAnyLevel() throws Exception {
        assertTrue(LoggerFactory.getLogger(TwilioRestClient.class).isTraceEnabled()
                        && LoggerFactory.getLogger("org.twiliochannels").isTraceEnabled()
                        && LoggerFactory.getLogger("any.other.logger").isTraceEnabled(),
                "slf4j must log everything at TRACE for this test (core's test simplelogger.properties)");
        List<String> julLines = new ArrayList<>();
        Handler capture = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                if (TEST_SERVER_LOGGERS.stream().noneMatch(p -> r.getLoggerName() != null && r.getLoggerName().startsWith(p))) {
                    synchronized (julLines) {
                        julLines.add(r.getLoggerName() + ": " + r.getLevel() + ": " + format.formatMessage(r)
                                + (r.getThrown() == null ? "" : " " + r.getThrown()));
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = LogManager.getLogManager().getLogger("");
        Level rootLevel = root.getLevel();
        List<Logger> opened = new ArrayList<>();
        for (String name : List.of("jdk.httpclient.HttpClient", "jdk.internal.httpclient.debug", "jdk.internal.httpclient",
                "java.net.http", "jdk.event.security", "javax.net.ssl", "sun.net.www.protocol.http.HttpURLConnection")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.ALL);
            opened.add(l);
        }
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        String printed;
        try {
            printed = CapturedOutput.of(this::exercise);
        } finally {
            root.removeHandler(capture);
            root.setLevel(rootLevel);
            opened.forEach(l -> l.setLevel(null));
        }
        String all = printed + String.join("", julLines);
        // The SDK's client (which logs requests and answers at DEBUG) is bypassed: only the probe proves the capture.
        assertTrue(printed.contains("DEBUG com.twilio.http.TwilioRestClient") && printed.contains("capture probe"),
                "a DEBUG line of the SDK's loggers should have been captured: " + printed);

        String basic = Base64.getEncoder().encodeToString((TestValues.ACCOUNT_SID + ":" + TestValues.AUTH_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        String proxyBasic = Base64.getEncoder().encodeToString(("proxy-user:" + PROXY_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        String number = TestValues.TO.substring(1);
        assertFalse(all.contains(TestValues.AUTH_TOKEN), "the auth token leaked");
        assertFalse(all.contains(TestValues.AUTH_TOKEN.substring(0, 12)), "part of the auth token leaked");
        assertFalse(all.contains(basic), "the Basic credentials leaked");
        assertFalse(all.contains(PROXY_PASSWORD), "the proxy password leaked");
        assertFalse(all.contains(proxyBasic), "the proxy credentials leaked");
        assertFalse(printed.contains(number), () -> "the full recipient number leaked: " + linesWith(printed, number));
        assertFalse(all.contains(number), () -> "the full recipient number leaked: " + linesWith(all, number));
        assertFalse(all.contains("meet me"), "the message body leaked");
        assertFalse(all.contains("meet+me"), "the encoded message body leaked");
    }

    private void exercise() throws Exception {
        LoggerFactory.getLogger(TwilioRestClient.class).debug("capture probe");
        String created = "{\"sid\":\"SM00000000000000000000000000000001\",\"status\":\"queued\"}";
        server.enqueue(json(201, created));
        server.enqueue(json(400, "{\"code\":21610,\"message\":\"Attempt to send to unsubscribed recipient\",\"status\":400}"));
        server.enqueue(json(503, "{\"code\":20500,\"message\":\"Service unavailable\",\"status\":503}"));
        server.enqueue(json(401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}"));
        server.enqueue(json(200, "{\"messages\":[],\"end\":0,\"first_page_uri\":\"/x\",\"next_page_uri\":null,"
                + "\"page\":0,\"page_size\":20,\"previous_page_uri\":null,\"start\":0,\"uri\":\"/x\"}"));
        server.enqueue(json(201, created));
        TwilioConfig config = TwilioTransportTest.config(server.url("/").uri()).build();
        try (TwilioApi api = new TwilioApi(config)) {
            create(api);
            assertThrows(HttpFailure.class, () -> create(api));
            assertThrows(HttpFailure.class, () -> create(api));
            assertThrows(HttpFailure.class, () -> create(api));
            api.messages(org.twiliochannels.core.PhoneNumber.of(TestValues.TO),
                    Optional.of(org.twiliochannels.core.PhoneNumber.of(TestValues.SMS_FROM)), 20,
                    TwilioTransportTest.soon());
        }
        try (LoopbackProxy proxy = LoopbackProxy.withBasicAuth("proxy-user", PROXY_PASSWORD, null)) {
            TwilioConfig proxied = TwilioTransportTest.config(server.url("/").uri())
                    .proxy(HttpProxy.of("127.0.0.1", proxy.port()).withCredentials("proxy-user",
                            ProxyPassword.of(PROXY_PASSWORD))).build();
            try (TwilioApi api = new TwilioApi(proxied)) {
                create(api);
            }
        }
        try (RawPeer silent = RawPeer.start(RawPeer.Behaviour.SILENT);
             RawPeer closing = RawPeer.start(
                     RawPeer.Behaviour.READ_THEN_CLOSE)) {
            for (URI target : List.of(silent.https(), closing.http(), refused())) {
                TwilioConfig c = TwilioTransportTest.config(target).build();
                try (TwilioApi api = new TwilioApi(c)) {
                    assertThrows(IoFailure.class, () -> create(api, TwilioTransportTest.in(Duration.ofMillis(1500))));
                }
            }
        }
    }

    private static List<String> linesWith(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).toList();
    }

    private static Created create(TwilioApi api) {
        return create(api, TwilioTransportTest.soon());
    }

    private static Created create(TwilioApi api, long deadlineNanos) {
        return api.create(Outgoing.of(Optional.of(TestValues.SMS_FROM), Optional.empty(), TestValues.TO,
                org.twiliochannels.core.Message.text(TestValues.TO, BODY), Optional.empty(), Clock.systemUTC()),
                deadlineNanos);
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static URI refused() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }
}
