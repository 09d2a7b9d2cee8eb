package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.TwimlReply;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;
import org.twiliochannels.testing.WebhookSigner;

/** The starter in a running web application, sending to the fake Twilio: one shared context. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = TwilioStarterWebTest.App.class,
        properties = {
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always",
                "server.forward-headers-strategy=framework",
                "twilio.retry.settle-from-log=false",
                "twilio.retry.max-attempts=2"})
@Timeout(60)
class TwilioStarterWebTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void twilio(DynamicPropertyRegistry registry) {
        registry.add("twilio.account-sid", () -> TWILIO.accountSid().value());
        registry.add("twilio.auth-token", () -> TWILIO.authToken().revealSecret());
        registry.add("twilio.api-base-url", () -> TWILIO.baseUrl().toString());
        registry.add("twilio.phone-number", FakeTwilio.DEFAULT_SMS_NUMBER::value);
        registry.add("twilio.whatsapp-from", () -> "whatsapp:+14155238886");
    }

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** The application under test: auto-configuration, an event listener and an inbound handler. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        final List<TwilioWebhook> events = new CopyOnWriteArrayList<>();

        @EventListener
        void inbound(InboundMessage message) {
            events.add(message);
        }

        @EventListener
        void status(StatusCallback callback) {
            events.add(callback);
        }

        @Bean
        InboundMessageHandler replies() {
            return m -> m.body().equals("HELP") ? Optional.empty() : Optional.of(TwimlReply.message("Thanks!"));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    App app;
    @Autowired
    TwilioAccount account;
    @Autowired
    @Qualifier("sms")
    Channel sms;
    @Autowired
    Channel whatsappChannel;

    @Test
    void sendsThroughTheInjectedChannels() {
        Receipt r = sms.send(Message.text("+14155550100", "Your table is ready"));
        assertEquals("sms", r.channel());
        assertEquals("Your table is ready", TWILIO.sentTo(org.twiliochannels.core.Address.parse("+14155550100")).get(0).body().orElseThrow());
        TWILIO.joinSandbox(org.twiliochannels.core.PhoneNumber.of("+14155550101"));
        whatsappChannel.send(Message.text("+14155550101", "Shipped"));
        assertEquals("whatsapp:+14155550101", TWILIO.sentTo(org.twiliochannels.core.Address.parse("whatsapp:+14155550101")).get(0).to());
        assertSame(account, sms.account());
        assertSame(account.channel("sms"), sms);
    }

    @Test
    void metricsCountSendsByOutcome() throws Exception {
        double accepted = sent("accepted");
        double rejected = sent("rejected");
        double unknown = sent("unknown");

        sms.send(Message.text("+14155550102", "One"));
        assertThrows(TwilioRejectedException.class, () -> sms.send(Message.text("+15005550001", "Two")));
        TWILIO.failNext(Fault.serverError(503));
        assertThrows(DeliveryUnknownException.class, () -> sms.send(Message.text("+14155550103", "Three")));

        assertEquals(accepted + 1, sent("accepted"));
        assertEquals(rejected + 1, sent("rejected"));
        assertEquals(unknown + 1, sent("unknown"));
        JsonNode meter = getJson("/actuator/metrics/twilio.messages.sent");
        List<String> tagKeys = JSON.convertValue(meter.path("availableTags").findValues("tag"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertEquals(List.of("channel", "error.code", "outcome"), tagKeys.stream().sorted().toList());
        assertFalse(meter.toString().contains("4155550102"), meter.toString());
        JsonNode observed = getJson("/actuator/metrics/twilio.send?tag=twilio.outcome:unknown");
        assertTrue(observed.path("availableTags").findValues("tag").stream().anyMatch(t -> t.asText()
                .equals("messaging.system")), "the observation of each send is recorded: " + observed);
    }

    @Test
    void healthShowsTwilio() throws Exception {
        JsonNode twilio = getJson("/actuator/health").path("components").path("twilio");
        assertEquals("UP", twilio.path("status").asText(), twilio.toString());
        assertTrue(twilio.path("details").path("twilio.account-sid").asText().startsWith("ok: "), twilio.toString());
        assertFalse(twilio.toString().contains(TWILIO.authToken().revealSecret()));
    }

    @Test
    void signedInboundMessageIsPublishedAndAnswered() throws Exception {
        Map<String, List<String>> form = inbound("Hi there");
        HttpResponse<String> answer = post("/twilio/inbound", form, sign(url("/twilio/inbound"), form), Map.of());

        assertEquals(200, answer.statusCode());
        assertEquals(TwimlReply.message("Thanks!"), answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElseThrow().startsWith("text/xml"));
        assertEquals(1, eventsFor(form).size());
        InboundMessage m = (InboundMessage) eventsFor(form).get(0);
        assertEquals("Hi there", m.body());
        assertEquals("+14155550104", m.from());
    }

    @Test
    void inboundWithoutReplyAnswersEmptyResponse() throws Exception {
        Map<String, List<String>> form = inbound("HELP");
        HttpResponse<String> answer = post("/twilio/inbound", form, sign(url("/twilio/inbound"), form), Map.of());
        assertEquals(200, answer.statusCode());
        assertEquals(TwimlReply.none(), answer.body());
    }

    @Test
    void tamperedOrUnsignedRequestsGet403AndNoEvent() throws Exception {
        double rejectedBefore = counter("/actuator/metrics/twilio.webhook.verifications?tag=result:rejected");
        Map<String, List<String>> form = inbound("Pay 10 dollars");
        String signature = sign(url("/twilio/inbound"), form);
        Map<String, List<String>> tampered = new LinkedHashMap<>(form);
        tampered.put("Body", List.of("Pay 1000 dollars"));

        assertEquals(403, post("/twilio/inbound", tampered, signature, Map.of()).statusCode());
        assertEquals(403, post("/twilio/inbound", form, null, Map.of()).statusCode());
        assertEquals(403, post("/twilio/status", form, "bm90IGEgc2lnbmF0dXJl", Map.of()).statusCode());
        assertTrue(eventsFor(form).isEmpty());
        assertEquals(rejectedBefore + 3,
                counter("/actuator/metrics/twilio.webhook.verifications?tag=result:rejected"));
    }

    @Test
    void aRepeatedDeliveryIsPublishedOnceAndAnsweredAlike() throws Exception {
        Map<String, List<String>> form = inbound("Twice");
        String signature = sign(url("/twilio/inbound"), form);
        HttpResponse<String> first = post("/twilio/inbound", form, signature, Map.of());
        HttpResponse<String> second = post("/twilio/inbound", form, signature, Map.of());

        assertEquals(200, first.statusCode());
        assertEquals(200, second.statusCode());
        assertEquals(first.body(), second.body());
        assertEquals(1, eventsFor(form).size());
    }

    @Test
    void behindAProxyTheForwardedUrlIsTheSignedOne() throws Exception {
        Map<String, List<String>> form = inbound("Via the proxy");
        String signature = sign("https://sms.example.com/twilio/inbound", form);
        Map<String, String> forwarded = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "sms.example.com",
                "X-Forwarded-Port", "443");

        assertEquals(403, post("/twilio/inbound", form, signature, Map.of()).statusCode());
        assertTrue(eventsFor(form).isEmpty());
        assertEquals(200, post("/twilio/inbound", form, signature, forwarded).statusCode());
        assertEquals(1, eventsFor(form).size());
    }

    @Test
    void queryParametersAreSignedAsPartOfTheUrlOnly() throws Exception {
        Map<String, List<String>> form = inbound("With a query");
        String path = "/twilio/inbound?tenant=blue&From=ignored";
        HttpResponse<String> answer = post(path, form, sign(url(path), form), Map.of());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("+14155550104", ((InboundMessage) eventsFor(form).get(0)).from());
    }

    @Test
    void statusCallbacksFromTwilioArePublished() {
        Receipt r = sms.send(Message.builder().to("+14155550105").body("Track me")
                .statusCallback(URI.create(url("/twilio/status"))).build());
        TWILIO.deliver(r.sid());

        List<StatusCallback> callbacks = app.events.stream().filter(e -> e instanceof StatusCallback s
                && s.messageSid().equals(r.sid())).map(e -> (StatusCallback) e).toList();
        assertEquals(List.of("sent", "delivered"), callbacks.stream().map(c -> c.status().twilioName()).toList());
    }

    // ----- helpers -----

    private double sent(String outcome) throws Exception {
        return counter("/actuator/metrics/twilio.messages.sent?tag=outcome:" + outcome);
    }

    private double counter(String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() == 404) {
            return 0;
        }
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode m : JSON.readTree(r.body()).path("measurements")) {
            if (m.path("statistic").asText().equals("COUNT")) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError("no COUNT in " + r.body());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static Map<String, List<String>> inbound(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of("SM" + UUID.randomUUID().toString().replace("-", "")));
        form.put("AccountSid", List.of(TWILIO.accountSid().value()));
        form.put("From", List.of("+14155550104"));
        form.put("To", List.of(FakeTwilio.DEFAULT_SMS_NUMBER.value()));
        form.put("Body", List.of(body));
        form.put("NumMedia", List.of("0"));
        form.put("ApiVersion", List.of("2010-04-01"));
        return form;
    }

    private static String sign(String url, Map<String, List<String>> form) {
        return new WebhookSigner(TWILIO.authToken().revealSecret()).sign(url, form);
    }

    private List<TwilioWebhook> eventsFor(Map<String, List<String>> form) {
        String sid = form.get("MessageSid").get(0);
        return app.events.stream().filter(e -> e.parameters().getOrDefault("MessageSid", "").equals(sid)).toList();
    }

    private HttpResponse<String> post(String path, Map<String, List<String>> form, String signature,
                                      Map<String, String> headers) throws IOException, InterruptedException {
        return FormPost.post(URI.create(url(path)), form, signature, headers);
    }
}
