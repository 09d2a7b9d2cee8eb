package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.webhook.TwimlReply;
import org.twiliochannels.core.whatsapp.SessionWindows;
import org.twiliochannels.outbox.Conversation;
import org.twiliochannels.outbox.Conversations;
import org.twiliochannels.outbox.OutboxMessage;
import org.twiliochannels.outbox.Question;
import org.twiliochannels.outbox.QuestionState;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.WebhookSigner;

/**
 * Questions and the router in a running Boot application: handler and question beans, the outbox
 * on H2, signed inbound webhooks posted over HTTP to {@code /twilio/inbound}, the fake Twilio sending.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ConversationsBootTest.App.class,
        properties = {"twilio.conversations.poll-interval=50ms", "twilio.retry.settle-from-log=false"})
@Timeout(60)
class ConversationsBootTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();
    static final String OURS = FakeTwilio.DEFAULT_SMS_NUMBER.value();

    @DynamicPropertySource
    static void twilio(DynamicPropertyRegistry registry) {
        registry.add("twilio.account-sid", () -> TWILIO.accountSid().value());
        registry.add("twilio.auth-token", () -> TWILIO.authToken().revealSecret());
        registry.add("twilio.api-base-url", () -> TWILIO.baseUrl().toString());
        registry.add("twilio.phone-number", () -> OURS);
        registry.add("twilio.whatsapp-from", () -> "whatsapp:+14155238886");
    }

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** The application: one question, one rule, a fallback. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TwilioOutboxAutoConfigurationTest.Database.class)
    static class App {
        final AtomicInteger confirmed = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();

        @Bean
        Question reminder() {
            return Question.named("reminder")
                    .answer("YES", a -> {
                        confirmed.incrementAndGet();
                        return InboundReply.message("Confirmed, see you.");
                    })
                    .timeout(Duration.ofHours(2))
                    .onTimeout(t -> {
                        timedOut.incrementAndGet();
                        t.send(OutboxMessage.of("sms", Message.text(t.conversation().person(), "Still coming?")));
                    })
                    .build();
        }

        @Bean
        InboundRoutes help() {
            return routes -> routes.keyword("HELP", e -> InboundReply.message("Call 555-0100."))
                    .fallback(e -> InboundReply.message("Reply YES to confirm."));
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    App app;
    @Autowired
    Conversations conversations;
    @Autowired
    SessionWindows windows;
    @Autowired
    InboundRouter router;

    private static Map<String, List<String>> inbound(String from, String to, String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of("SM" + UUID.randomUUID().toString().replace("-", "")));
        form.put("AccountSid", List.of(TWILIO.accountSid().value()));
        form.put("From", List.of(from));
        form.put("To", List.of(to));
        form.put("Body", List.of(body));
        form.put("NumMedia", List.of("0"));
        form.put("ApiVersion", List.of("2010-04-01"));
        return form;
    }

    private HttpResponse<String> post(Map<String, List<String>> form) throws Exception {
        String url = "http://localhost:" + port + "/twilio/inbound";
        return FormPost.post(URI.create(url), form, new WebhookSigner(TWILIO.authToken().revealSecret()).sign(url, form),
                Map.of());
    }

    @Test
    void aSignedReplyAnswersTheOpenQuestionOnce() throws Exception {
        String person = "+14155550141";
        long id = conversations.ask(Conversation.sms(person, OURS), "reminder",
                OutboxMessage.of("sms", Message.text(person, "Reply YES to confirm")), "appt-7");
        TwilioOutboxAutoConfigurationTest.await(() -> !TWILIO.sentTo(Address.parse(person)).isEmpty());
        int before = app.confirmed.get();

        Map<String, List<String>> yes = inbound(person, OURS, "Yes!");
        HttpResponse<String> answer = post(yes);
        HttpResponse<String> retried = post(yes);

        assertEquals(200, answer.statusCode());
        assertEquals(TwimlReply.message("Confirmed, see you."), answer.body());
        assertEquals(answer.body(), retried.body());
        assertEquals(before + 1, app.confirmed.get());
        assertEquals(QuestionState.ANSWERED, conversations.question(id).orElseThrow().state());
    }

    @Test
    void withoutAnOpenQuestionTheRulesAndTheFallbackAnswer() throws Exception {
        assertEquals(TwimlReply.message("Call 555-0100."), post(inbound("+14155550142", OURS, "help")).body());
        assertEquals(TwimlReply.message("Reply YES to confirm."), post(inbound("+14155550142", OURS, "YES")).body());
    }

    @Test
    void aTimeoutFiresOnceFromTheContextsWorker() throws Exception {
        String person = "+14155550143";
        long id = conversations.ask(Conversation.sms(person, OURS), "reminder",
                OutboxMessage.of("sms", Message.text(person, "Reply YES to confirm")), "", Duration.ofMillis(100));
        TwilioOutboxAutoConfigurationTest.await(() -> TWILIO.sentTo(Address.parse(person)).size() == 2);
        assertEquals(QuestionState.TIMED_OUT, conversations.question(id).orElseThrow().state());
        assertEquals("Still coming?", TWILIO.sentTo(Address.parse(person)).get(1).body().orElseThrow());
    }

    @Test
    void aWhatsAppMessageOpensTheWindowTheAccountChecks() throws Exception {
        post(inbound("whatsapp:+14155550144", "whatsapp:+14155238886", "hi"));
        assertTrue(windows.window(WhatsAppAddress.of("whatsapp:+14155550144"),
                WhatsAppAddress.of("whatsapp:+14155238886")).isOpen());
        assertSame(conversations.sessionWindows(), windows);
    }
}
