package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.testing.WebhookSigner;

/**
 * A platform with no account of its own ({@code twilio.enabled=false}) receiving the webhooks of
 * two tenant accounts at one endpoint, in a running web application: each request verified with
 * its own account's token, forged and unknown accounts answered 403, and the old token accepted
 * during a rotation's overlap (by the application's clock).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ManyAccountsWebhookBootTest.Platform.class,
        properties = {"twilio.enabled=false", "twilio.accounts.rotation-overlap=30m"})
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class ManyAccountsWebhookBootTest {
    static final AccountSid BLUE = AccountSid.of("AC" + "b".repeat(32));
    static final AccountSid GREEN = AccountSid.of("AC" + "c".repeat(32));
    static final AccountSid STRANGER = AccountSid.of("AC" + "d".repeat(32));
    static final String BLUE_TOKEN = "1".repeat(32);
    static final String GREEN_TOKEN = "2".repeat(32);
    static final String GREEN_NEW_TOKEN = "3".repeat(32);
    private static final AtomicInteger MESSAGES = new AtomicInteger();

    /** The platform: its tenants' tokens in its own store, a clock the test moves, and a listener. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Platform {
        final Map<AccountSid, String> tokens = new ConcurrentHashMap<>(Map.of(BLUE, BLUE_TOKEN, GREEN, GREEN_TOKEN));
        final List<TwilioWebhook> events = new CopyOnWriteArrayList<>();
        final TestClock clock = new TestClock();

        @Bean
        AccountResolver tenants() {
            return sid -> Optional.empty();
        }

        @Bean
        MultiAccountWebhookVerifier.AuthTokens tenantTokens() {
            return sid -> Optional.ofNullable(tokens.get(sid)).map(AuthToken::of);
        }

        @Bean
        Clock clock() {
            return clock;
        }

        @EventListener
        void inbound(InboundMessage message) {
            events.add(message);
        }

        @EventListener
        void status(StatusCallback callback) {
            events.add(callback);
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Platform platform;

    @Autowired
    org.springframework.context.ApplicationContext context;

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static Map<String, List<String>> inbound(AccountSid account, String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of(String.format("SM%032x", MESSAGES.incrementAndGet())));
        form.put("AccountSid", List.of(account.value()));
        form.put("From", List.of("+14155550100"));
        form.put("To", List.of("+15005550006"));
        form.put("Body", List.of(body));
        form.put("NumMedia", List.of("0"));
        form.put("ApiVersion", List.of("2010-04-01"));
        return form;
    }

    private static Map<String, List<String>> status(AccountSid account) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of(String.format("SM%032x", MESSAGES.incrementAndGet())));
        form.put("AccountSid", List.of(account.value()));
        form.put("From", List.of("+15005550006"));
        form.put("To", List.of("+14155550100"));
        form.put("MessageStatus", List.of("delivered"));
        form.put("ApiVersion", List.of("2010-04-01"));
        return form;
    }

    private HttpResponse<String> post(String path, Map<String, List<String>> form, String token) throws Exception {
        return FormPost.post(URI.create(url(path)), form, new WebhookSigner(token).sign(url(path), form), Map.of());
    }

    private List<TwilioWebhook> eventsFor(Map<String, List<String>> form) {
        String sid = form.get("MessageSid").get(0);
        return platform.events.stream().filter(e -> sid.equals(e.parameters().get("MessageSid"))).toList();
    }

    @Test
    void eachAccountsRequestsAreVerifiedWithItsOwnTokenAndPublishedWithTheAccount() throws Exception {
        assertTrue(context.getBeansOfType(TwilioAccount.class).isEmpty(), "no account of its own");
        Map<String, List<String>> blue = inbound(BLUE, "Table for two");
        Map<String, List<String>> green = inbound(GREEN, "Table for four");
        Map<String, List<String>> greenStatus = status(GREEN);

        assertEquals(200, post("/twilio/inbound", blue, BLUE_TOKEN).statusCode());
        assertEquals(200, post("/twilio/inbound", green, GREEN_TOKEN).statusCode());
        assertEquals(200, post("/twilio/status", greenStatus, GREEN_TOKEN).statusCode());

        assertEquals(List.of(Optional.of(BLUE)), eventsFor(blue).stream().map(TwilioWebhook::accountSid).toList());
        assertEquals(List.of(Optional.of(GREEN)), eventsFor(green).stream().map(TwilioWebhook::accountSid).toList());
        assertEquals(List.of(Optional.of(GREEN)),
                eventsFor(greenStatus).stream().map(TwilioWebhook::accountSid).toList());
    }

    @Test
    void aRequestNamingOneAccountButSignedWithAnothersTokenIsRejected(CapturedOutput output) throws Exception {
        Map<String, List<String>> forged = inbound(GREEN, "Refund me");
        HttpResponse<String> answer = post("/twilio/inbound", forged, BLUE_TOKEN);
        assertEquals(403, answer.statusCode());
        assertEquals("rejected: INVALID_SIGNATURE", answer.body());
        assertTrue(eventsFor(forged).isEmpty());
        assertEquals(403, post("/twilio/status", status(BLUE), GREEN_TOKEN).statusCode());
        assertFalse(output.getAll().contains(BLUE_TOKEN) || output.getAll().contains(GREEN_TOKEN), "no token logged");
    }

    @Test
    void aRequestForAnAccountTheStoreDoesNotKnowIsRejectedWithItsReasonLogged(CapturedOutput output) throws Exception {
        String strangerToken = "4".repeat(32);
        Map<String, List<String>> form = inbound(STRANGER, "Hello");
        HttpResponse<String> answer = post("/twilio/inbound", form, strangerToken);
        assertEquals(403, answer.statusCode());
        assertEquals("rejected: UNKNOWN_ACCOUNT", answer.body());
        assertEquals(403, post("/twilio/status", status(STRANGER), strangerToken).statusCode());
        assertTrue(eventsFor(form).isEmpty());
        assertTrue(output.getAll().contains("webhook /twilio/inbound rejected (UNKNOWN_ACCOUNT): account "
                + STRANGER.value() + " is not known to this application's token store"), output.getAll());
        assertFalse(output.getAll().contains(strangerToken), "no token logged");
    }

    @Test
    void duringARotationTheOldTokenIsAcceptedForTheOverlapOnly() throws Exception {
        AccountSid rotating = AccountSid.of("AC" + "e".repeat(32));
        platform.tokens.put(rotating, GREEN_TOKEN);
        assertEquals(200, post("/twilio/inbound", inbound(rotating, "before"), GREEN_TOKEN).statusCode());

        platform.tokens.put(rotating, GREEN_NEW_TOKEN);
        assertEquals(200, post("/twilio/inbound", inbound(rotating, "signed after"), GREEN_NEW_TOKEN).statusCode());
        Map<String, List<String>> late = inbound(rotating, "signed before the rotation");
        assertEquals(200, post("/twilio/inbound", late, GREEN_TOKEN).statusCode(), "old token within the overlap");
        assertEquals(List.of(Optional.of(rotating)), eventsFor(late).stream().map(TwilioWebhook::accountSid).toList());

        platform.clock.now = platform.clock.now.plus(Duration.ofMinutes(31));
        assertEquals(403, post("/twilio/inbound", inbound(rotating, "too late"), GREEN_TOKEN).statusCode(),
                "old token after the overlap");
        assertEquals(200, post("/twilio/inbound", inbound(rotating, "new"), GREEN_NEW_TOKEN).statusCode());
    }
}
