package org.twiliochannels.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.core.webhook.WebhookVerifier;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.SentMessage;

/**
 * The appointment flow end to end in plain Java: a reminder 24 h before, YES confirms, C cancels
 * (and its follow-up), no answer in 2 h brings one follow-up, still none the application's callback.
 * The outbox worker sends to the fake Twilio; the person answers through signed webhooks to a
 * loopback server, or stays silent while the clock moves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AppointmentFlowTest {
    static final String PERSON = "+14155550177";
    static final Address SMS_PERSON = Address.parse(PERSON);
    static final String OURS = FakeTwilio.DEFAULT_SMS_NUMBER.value();
    static final ContentSid REMINDER_TEMPLATE = ContentSid.of("HX0123456789abcdef0123456789abcdef");

    @TempDir
    Path dir;
    TestClock clock;
    FakeTwilio twilio;
    TwilioAccount account;
    Outbox outbox;
    Conversations conversations;
    OutboxWorker worker;
    HttpServer server;
    String webhook;
    final List<String> callbacks = new CopyOnWriteArrayList<>();
    final List<String> replies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
        twilio = FakeTwilio.builder().clock(clock).start();
        outbox = Outbox.builder(OutboxH2Test.file(dir.resolve("flow"))).clock(clock).build();
        outbox.migrate();
        conversations = Conversations.builder(outbox).question(reminder("appointment-reminder", true))
                .question(reminder("appointment-follow-up", false)).build();
        account = TwilioAccount.builder(twilio.config().build()).sessionWindows(conversations.sessionWindows()).build();
        worker = outbox.startWorker(account, WorkerSettings.builder().pollInterval(Duration.ofMillis(20)).build());
        InboundRouter router = InboundRouter.builder(ConsentLedger.inMemory()).clock(clock)
                .questions(conversations.openQuestions()).sessionWindows(conversations.sessionWindows())
                .fallback(e -> InboundReply.message("Reply YES to confirm, C to cancel."))
                .build();
        WebhookVerifier verifier = WebhookVerifier.builder(twilio.accountSid(), twilio.authToken()).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook = "http://127.0.0.1:" + server.getAddress().getPort() + "/inbound";
        server.createContext("/inbound", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            String twiml = router.route(verifier.verify(WebhookRequest.ofFormBody(webhook, body,
                    exchange.getRequestHeaders().getFirst("X-Twilio-Signature")))).twiml();
            replies.add(twiml);
            byte[] out = twiml.getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        worker.close();
        account.close();
        twilio.close();
    }

    /** The reminder and its follow-up: the same answers; the reminder's silence asks the follow-up, the follow-up's calls back. */
    Question reminder(String name, boolean followUp) {
        return Question.named(name)
                .answer(java.util.Set.of("YES", "Y"), a -> InboundReply.message("Confirmed, see you on " + a.data() + "."))
                .answer("C", a -> {
                    a.cancelOpenQuestions();
                    a.send(OutboxMessage.of(a.conversation().channel(), Message.text(a.conversation().person(),
                            "Your appointment on " + a.data() + " is cancelled.")));
                    return InboundReply.none();
                })
                .timeout(Duration.ofHours(2))
                .onTimeout(t -> {
                    if (followUp) {
                        t.ask("appointment-follow-up", OutboxMessage.of(t.conversation().channel(),
                                Message.text(t.conversation().person(), "We have not heard from you: reply YES to"
                                        + " confirm " + t.data() + ", C to cancel.")), t.data());
                    } else {
                        callbacks.add("no answer for " + t.data());
                    }
                })
                .build();
    }

    void remind(Conversation conversation, Message message) {
        conversations.ask(conversation, "appointment-reminder", OutboxMessage.of(conversation.channel(), message),
                "Tuesday 10:00");
    }

    void personWrites(Address from, Address to, String body) {
        assertEquals(200, twilio.sendInbound(webhook, from, to, body, Map.of()));
    }

    List<SentMessage> sentTo(Address to, int atLeast) throws InterruptedException {
        await(() -> twilio.sentTo(to).size() >= atLeast);
        return twilio.sentTo(to);
    }

    void silentFor(Duration d) {
        clock.advance(d);
        conversations.fireDueTimeouts();
    }

    @Test
    void yesConfirmsAndNothingFollows() throws Exception {
        remind(Conversation.sms(PERSON, OURS), Message.text(PERSON, "Reminder: Tuesday 10:00. Reply YES or C."));
        sentTo(SMS_PERSON, 1);
        clock.advance(Duration.ofMinutes(30));

        personWrites(SMS_PERSON, FakeTwilio.DEFAULT_SMS_NUMBER, "yes");

        assertEquals(List.of("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message><Body>Confirmed, see you on"
                + " Tuesday 10:00.</Body></Message></Response>"), replies);
        silentFor(Duration.ofHours(5));
        assertEquals(1, twilio.sentTo(SMS_PERSON).size());
        assertEquals(List.of(), callbacks);
    }

    @Test
    void cCancelsAndCancelsTheFollowUp() throws Exception {
        remind(Conversation.sms(PERSON, OURS), Message.text(PERSON, "Reminder: Tuesday 10:00. Reply YES or C."));
        silentFor(Duration.ofHours(2)); // the follow-up goes out
        sentTo(SMS_PERSON, 2);

        personWrites(SMS_PERSON, FakeTwilio.DEFAULT_SMS_NUMBER, "C");

        assertEquals("Your appointment on Tuesday 10:00 is cancelled.",
                sentTo(SMS_PERSON, 3).get(2).body().orElseThrow());
        silentFor(Duration.ofHours(5));
        assertEquals(3, twilio.sentTo(SMS_PERSON).size());
        assertEquals(List.of(), callbacks);
    }

    @Test
    void silenceBringsOneFollowUpThenTheCallback() throws Exception {
        remind(Conversation.sms(PERSON, OURS), Message.text(PERSON, "Reminder: Tuesday 10:00. Reply YES or C."));
        silentFor(Duration.ofHours(1));
        assertEquals(1, sentTo(SMS_PERSON, 1).size());

        silentFor(Duration.ofHours(1));
        assertTrue(sentTo(SMS_PERSON, 2).get(1).body().orElseThrow().startsWith("We have not heard from you"));

        silentFor(Duration.ofHours(2));
        assertEquals(List.of("no answer for Tuesday 10:00"), callbacks);
        silentFor(Duration.ofHours(24));
        assertEquals(List.of("no answer for Tuesday 10:00"), callbacks);
        assertEquals(2, twilio.sentTo(SMS_PERSON).size());
    }

    @Test
    void aLateYesGoesToTheFallback() throws Exception {
        remind(Conversation.sms(PERSON, OURS), Message.text(PERSON, "Reminder: Tuesday 10:00. Reply YES or C."));
        silentFor(Duration.ofHours(2)); // the reminder's time-out: the follow-up is asked
        silentFor(Duration.ofHours(2)); // the follow-up's time-out: the callback
        personWrites(SMS_PERSON, FakeTwilio.DEFAULT_SMS_NUMBER, "YES");
        assertTrue(replies.get(0).contains("Reply YES to confirm, C to cancel."), replies.toString());
    }

    @Test
    void onWhatsAppOutsideTheWindowTheTemplateGoesOutWithoutA63016() throws Exception {
        twilio.enforceSessionWindows().joinSandbox(PhoneNumber.of(PERSON));
        WhatsAppAddress person = WhatsAppAddress.of("whatsapp:" + PERSON);
        personWrites(person, WhatsAppAddress.SANDBOX, "hi"); // opens the window, on both sides
        clock.advance(Duration.ofHours(25));

        remind(Conversation.whatsApp(PERSON, WhatsAppAddress.SANDBOX.value()), Message.builder().to(PERSON)
                .body("Reminder: Tuesday 10:00. Reply YES or C.")
                .fallbackTemplate(Template.numbered(REMINDER_TEMPLATE, "Tuesday 10:00")).build());

        SentMessage sent = sentTo(person, 1).get(0);
        assertEquals(REMINDER_TEMPLATE.value(), sent.contentSid().orElseThrow());
        // the request log is written once the answer is out: wait for the stored request's entry
        await(() -> twilio.createRequests().stream().anyMatch(org.twiliochannels.testing.CreateRequest::stored));
        assertEquals(1, twilio.createRequests().size(), "no free-form attempt refused with 63016 first");

        personWrites(person, WhatsAppAddress.SANDBOX, "YES");
        assertTrue(replies.get(replies.size() - 1).contains("Confirmed, see you on Tuesday 10:00."), replies.toString());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached in 20 s");
            }
            Thread.sleep(10);
        }
    }
}
