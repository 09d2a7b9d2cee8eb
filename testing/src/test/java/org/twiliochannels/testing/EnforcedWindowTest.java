package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.WhatsAppAddress;

/** {@link FakeTwilio#enforceSessionWindows()}: 63016 by each person's own 24-hour window, on the fake's clock. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EnforcedWindowTest {
    private static final String PERSON = "+14155550166";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private FakeTwilio twilio;
    private TwilioRestClient client;
    private HttpServer webhook;

    @BeforeEach
    void start() throws Exception {
        twilio = FakeTwilio.builder().clock(clock).start().enforceSessionWindows()
                .joinSandbox(org.twiliochannels.core.PhoneNumber.of(PERSON));
        client = new TwilioRestClient.Builder(twilio.accountSid().value(), twilio.authToken().revealSecret())
                .httpClient(new SdkHttpClient(twilio.baseUrl())).build();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/inbound", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stop() {
        webhook.stop(0);
        twilio.close();
    }

    private Message freeForm() {
        return Message.creator(new PhoneNumber("whatsapp:" + PERSON), new PhoneNumber("whatsapp:+14155238886"),
                "are you there?").create(client);
    }

    private void personWrites() {
        assertEquals(200, twilio.sendInbound("http://127.0.0.1:" + webhook.getAddress().getPort() + "/inbound",
                WhatsAppAddress.of("whatsapp:" + PERSON), WhatsAppAddress.SANDBOX, "hi", Map.of()));
    }

    @Test
    void freeFormNeedsAMessageFromThePersonInTheLast24Hours() {
        assertEquals(63016, assertThrows(ApiException.class, this::freeForm).getCode());

        personWrites();
        assertEquals(Message.Status.QUEUED, freeForm().getStatus());
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertEquals(Message.Status.QUEUED, freeForm().getStatus());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(63016, assertThrows(ApiException.class, this::freeForm).getCode());
        Message template = Message.creator(new PhoneNumber("whatsapp:" + PERSON),
                new PhoneNumber("whatsapp:+14155238886"), (String) null)
                .setContentSid("HX0123456789abcdef0123456789abcdef").create(client);
        assertEquals(Message.Status.QUEUED, template.getStatus());
    }
}
