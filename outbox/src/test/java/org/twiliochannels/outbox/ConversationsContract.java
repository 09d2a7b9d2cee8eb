package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.whatsapp.SessionWindow;
import org.twiliochannels.core.whatsapp.SessionWindows;

/**
 * Conversation state and questions that wait, run against each engine (PostgreSQL and H2), on an
 * injected clock. Each test has its own table prefix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ConversationsContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    static final String PERSON = "+14155551234";
    static final String OURS = "+14155550100";
    static final Conversation SMS = Conversation.sms(PERSON, OURS);
    static final StateKey<String> STEP = StateKey.text("step");
    static final StateKey<Long> REMINDERS = StateKey.number("reminders");

    TestClock clock;
    String prefix;
    Outbox outbox;
    Conversations conversations;
    InboundRouter router;
    final Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    final AtomicInteger sids = new AtomicInteger();

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
        prefix = "v" + TABLES.incrementAndGet() + "_";
        outbox = outbox("worker-a");
        outbox.migrate();
        conversations = conversations(outbox);
        router = router(conversations);
    }

    Outbox outbox(String worker) {
        return Outbox.builder(dataSource()).tablePrefix(prefix).workerId(worker).clock(clock).build();
    }

    Conversations conversations(Outbox on) {
        return Conversations.builder(on).question(reminder()).question(Question.named("follow-up")
                        .answer("YES", a -> count("follow-up:yes", InboundReply.message("Confirmed at last.")))
                        .timeout(Duration.ofHours(2))
                        .onTimeout(t -> count("follow-up:timeout", null))
                        .build())
                .build();
    }

    Question reminder() {
        return Question.named("reminder")
                .answer("YES", a -> {
                    a.state().put(STEP, "confirmed", Duration.ofDays(1));
                    return count("reminder:yes:" + a.data(), InboundReply.message("Confirmed, see you."));
                })
                .answer("C", a -> {
                    a.cancelOpenQuestions();
                    return count("reminder:c", InboundReply.message("Cancelled."));
                })
                .payload("confirm", a -> count("reminder:button", InboundReply.message("Confirmed by button.")))
                .timeout(Duration.ofHours(2))
                .onTimeout(t -> {
                    count("reminder:timeout:" + t.data(), null);
                    t.ask("follow-up", sms("Still coming? Reply YES"), t.data());
                })
                .build();
    }

    InboundRouter router(Conversations on) {
        return InboundRouter.builder(ConsentLedger.inMemory()).clock(clock).questions(on.openQuestions())
                .sessionWindows(on.sessionWindows())
                .fallback(e -> count("fallback", InboundReply.message("Reply YES to confirm, C to cancel.")))
                .build();
    }

    InboundReply count(String what, InboundReply reply) {
        ran.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        return reply;
    }

    int ran(String what) {
        AtomicInteger n = ran.get(what);
        return n == null ? 0 : n.get();
    }

    static OutboxMessage sms(String text) {
        return OutboxMessage.of("sms", Message.text(PERSON, text));
    }

    InboundMessage inbound(String body) {
        return inbound("SM" + String.format("%032d", sids.incrementAndGet()), PERSON, OURS, body, Map.of());
    }

    static InboundMessage inbound(String sid, String from, String to, String body, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(extra);
        p.put("MessageSid", sid);
        p.put("From", from);
        p.put("To", to);
        p.put("Body", body);
        return new InboundMessage(sid, from, to, body, List.of(), p);
    }

    long queued() {
        return outbox.counts().get(OutboxState.QUEUED);
    }

    // ---- asking and answering

    @Test
    void askSendsThroughTheOutboxAndOpensTheQuestion() {
        long id = conversations.ask(SMS, "reminder", sms("Reply YES to confirm, C to cancel"), "appt-42");

        assertEquals(1, queued());
        AskedQuestion q = conversations.openQuestion(SMS).orElseThrow();
        assertEquals(id, q.id());
        assertEquals("appt-42", q.data());
        assertEquals(QuestionState.OPEN, q.state());
        assertEquals(clock.instant().plus(Duration.ofHours(2)), q.timeoutAt());
    }

    @Test
    void answerRunsItsActionAndClosesTheQuestion() {
        long id = conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        clock.advance(Duration.ofMinutes(5));

        InboundReply reply = router.route(inbound(" yes! "));

        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message><Body>Confirmed, see you.</Body></Message></Response>",
                reply.twiml());
        assertEquals(1, ran("reminder:yes:appt-42"));
        assertEquals(QuestionState.ANSWERED, conversations.question(id).orElseThrow().state());
        assertEquals(Optional.of("confirmed"), conversations.state(SMS).get(STEP));
        assertTrue(conversations.openQuestion(SMS).isEmpty());
    }

    @Test
    void buttonPayloadAnswers() {
        conversations.ask(SMS, "reminder", sms("Confirm?"), "");
        router.route(inbound("SM" + "b".repeat(32), PERSON, OURS, "Yes, I'll be there", Map.of("ButtonPayload", "confirm",
                "ButtonText", "Yes, I'll be there")));
        assertEquals(1, ran("reminder:button"));
    }

    @Test
    void aRepeatedDeliveryIsHandledOnceAcrossInstances() {
        conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        InboundMessage yes = inbound("YES");
        router.route(yes);
        // the same message delivered again to another instance (its own router, its own memory)
        InboundRouter other = router(conversations(outbox("worker-b")));
        InboundReply again = other.route(yes);

        assertEquals(InboundReply.none().twiml(), again.twiml());
        assertEquals(1, ran("reminder:yes:appt-42"));
        assertEquals(0, ran("fallback"));
    }

    @Test
    void aReplyWithoutOpenQuestionGoesToTheFallback() {
        router.route(inbound("YES"));
        assertEquals(1, ran("fallback"));
    }

    @Test
    void aLateAnswerGoesToTheFallback() {
        long id = conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        clock.advance(Duration.ofHours(2));

        router.route(inbound("YES"));

        assertEquals(0, ran("reminder:yes:appt-42"));
        assertEquals(1, ran("fallback"));
        assertEquals(QuestionState.OPEN, conversations.question(id).orElseThrow().state()); // its time-out still fires
        assertEquals(1, conversations.fireDueTimeouts());
        assertEquals(1, ran("reminder:timeout:appt-42"));
    }

    @Test
    void anUnexpectedReplyGoesToTheFallbackAndLeavesTheQuestionOpen() {
        long id = conversations.ask(SMS, "reminder", sms("Reply YES"), "");
        router.route(inbound("maybe tomorrow"));
        assertEquals(1, ran("fallback"));
        assertEquals(QuestionState.OPEN, conversations.question(id).orElseThrow().state());
    }

    @Test
    void theMostRecentOpenQuestionIsAnswered() {
        long first = conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-1");
        clock.advance(Duration.ofMinutes(1));
        long second = conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-2");

        router.route(inbound("YES"));

        assertEquals(1, ran("reminder:yes:appt-2"));
        assertEquals(0, ran("reminder:yes:appt-1"));
        assertEquals(QuestionState.OPEN, conversations.question(first).orElseThrow().state());
        assertEquals(QuestionState.ANSWERED, conversations.question(second).orElseThrow().state());
    }

    @Test
    void anotherConversationDoesNotAnswer() {
        conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        router.route(inbound("SM" + "d".repeat(32), PERSON, "+14155550199", "YES", Map.of()));
        assertEquals(0, ran("reminder:yes:appt-42"));
        assertEquals(1, ran("fallback"));
    }

    @Test
    void aFailingAnswerActionKeepsNothingAndTheQuestionOpen() {
        Conversations failing = Conversations.builder(outbox).question(Question.named("reminder")
                .answer("YES", a -> {
                    a.send(sms("sent before the failure"));
                    a.state().put(STEP, "half", Duration.ofDays(1));
                    throw new IllegalStateException("the booking system is down");
                })
                .timeout(Duration.ofHours(2)).build()).build();
        long id = failing.ask(SMS, "reminder", sms("Reply YES"), "");

        InboundReply reply = router(failing).route(inbound("YES"));

        assertEquals(InboundReply.none().twiml(), reply.twiml());
        assertEquals(1, queued()); // the question only
        assertEquals(Optional.empty(), failing.state(SMS).get(STEP));
        assertEquals(QuestionState.OPEN, failing.question(id).orElseThrow().state());
    }

    // ---- time-outs

    @Test
    void theTimeoutFiresOnceAfterItsTime() {
        long id = conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertEquals(0, conversations.fireDueTimeouts());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, conversations.fireDueTimeouts());
        assertEquals(0, conversations.fireDueTimeouts());

        assertEquals(1, ran("reminder:timeout:appt-42"));
        assertEquals(QuestionState.TIMED_OUT, conversations.question(id).orElseThrow().state());
        AskedQuestion followUp = conversations.openQuestion(SMS).orElseThrow();
        assertEquals("follow-up", followUp.question());
        assertEquals(2, queued()); // the reminder and the follow-up
    }

    @Test
    void anAnsweredQuestionNeverTimesOut() {
        conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        router.route(inbound("YES"));
        clock.advance(Duration.ofDays(1));
        assertEquals(0, conversations.fireDueTimeouts());
        assertEquals(0, ran("reminder:timeout:appt-42"));
    }

    @Test
    void cancellingClosesTheOtherOpenQuestions() {
        long followUp = conversations.ask(SMS, "follow-up", sms("Still coming?"), "");
        conversations.ask(SMS, "reminder", sms("Reply C to cancel"), "");
        router.route(inbound("C"));
        assertEquals(QuestionState.CANCELLED, conversations.question(followUp).orElseThrow().state());
        clock.advance(Duration.ofDays(1));
        assertEquals(0, conversations.fireDueTimeouts());
        assertEquals(0, ran("follow-up:timeout"));
    }

    @Test
    void aTimeoutSurvivesARestart() {
        conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-42");
        // the instance is gone; another starts on the same database
        Conversations restarted = conversations(outbox("worker-b"));
        clock.advance(Duration.ofHours(3));
        assertEquals(1, restarted.fireDueTimeouts());
        assertEquals(1, ran("reminder:timeout:appt-42"));
    }

    @Test
    void eachTimeoutFiresOnceWhenTwoInstancesClaimTogether() throws Exception {
        int n = 40;
        for (int i = 0; i < n; i++) {
            conversations.ask(SMS, "reminder", sms("Reply YES"), "appt-" + i);
        }
        clock.advance(Duration.ofHours(3));
        List<Conversations> instances = List.of(conversations, conversations(outbox("worker-b")));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger claimed = new AtomicInteger();
        for (Conversations c : instances) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    int got;
                    while ((got = c.fireDueTimeouts()) > 0) {
                        claimed.addAndGet(got);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(n, claimed.get());
        for (int i = 0; i < n; i++) {
            assertEquals(1, ran("reminder:timeout:appt-" + i), "appt-" + i);
        }
        assertEquals(2L * n, queued()); // each reminder and one follow-up each
    }

    @Test
    void aFailingTimeoutActionIsRolledBackAndTriedAgainLater() {
        AtomicInteger tries = new AtomicInteger();
        Conversations flaky = Conversations.builder(outbox).question(Question.named("reminder").answer("YES",
                        a -> InboundReply.none())
                .timeout(Duration.ofHours(2))
                .onTimeout(t -> {
                    t.send(sms("We did not hear from you"));
                    if (tries.incrementAndGet() == 1) {
                        throw new java.io.IOException("the callback's server is down");
                    }
                }).build()).build();
        long id = flaky.ask(SMS, "reminder", sms("Reply YES"), "");
        clock.advance(Duration.ofHours(2));

        assertEquals(1, flaky.fireDueTimeouts());
        assertEquals(1, queued()); // the failed try sent nothing
        assertEquals(QuestionState.OPEN, flaky.question(id).orElseThrow().state());
        assertEquals(0, flaky.fireDueTimeouts()); // not before its retry time

        clock.advance(Conversations.FIRST_RETRY);
        assertEquals(1, flaky.fireDueTimeouts());
        assertEquals(2, tries.get());
        assertEquals(2, queued());
        assertEquals(QuestionState.TIMED_OUT, flaky.question(id).orElseThrow().state());
    }

    @Test
    void aTimeoutActionFailingEveryTryClosesTheQuestionAsFailed() {
        Conversations broken = Conversations.builder(outbox).question(Question.named("reminder").answer("YES",
                        a -> InboundReply.none())
                .timeout(Duration.ofMinutes(1))
                .onTimeout(t -> {
                    throw new IllegalStateException("always");
                }).build()).build();
        long id = broken.ask(SMS, "reminder", sms("Reply YES"), "");
        for (int i = 0; i < Conversations.MAX_TIMEOUT_TRIES; i++) {
            clock.advance(Duration.ofHours(1));
            assertEquals(1, broken.fireDueTimeouts(), "try " + (i + 1));
        }
        assertEquals(QuestionState.FAILED, broken.question(id).orElseThrow().state());
        clock.advance(Duration.ofDays(1));
        assertEquals(0, broken.fireDueTimeouts());
    }

    // ---- state

    @Test
    void stateHoldsTypedValuesUntilTheyExpire() {
        ConversationState state = conversations.state(SMS);
        state.put(STEP, "asked", Duration.ofMinutes(30));
        state.put(REMINDERS, 2L, Duration.ofDays(1));
        assertEquals(Optional.of("asked"), state.get(STEP));
        assertEquals(Optional.of(2L), state.get(REMINDERS));
        assertEquals(Optional.empty(), conversations.state(Conversation.whatsApp(PERSON, OURS)).get(STEP));

        state.put(STEP, "answered", Duration.ofMinutes(30));
        assertEquals(Optional.of("answered"), state.get(STEP));

        clock.advance(Duration.ofMinutes(30));
        assertEquals(Optional.empty(), state.get(STEP));
        assertEquals(Optional.of(2L), state.get(REMINDERS));
        assertTrue(state.remove(REMINDERS));
        assertFalse(state.remove(REMINDERS));
        assertEquals(Optional.empty(), state.get(REMINDERS));
    }

    @Test
    void purgeDeletesExpiredStateAndClosedQuestions() {
        conversations.state(SMS).put(STEP, "x", Duration.ofMinutes(1));
        long id = conversations.ask(SMS, "reminder", sms("Reply YES"), "");
        router.route(inbound("YES"));
        clock.advance(Duration.ofDays(10));
        assertTrue(conversations.purgeOlderThan(Duration.ofDays(7)) >= 3); // the value, the question, the SID
        assertTrue(conversations.question(id).isEmpty());
    }

    // ---- WhatsApp windows

    @Test
    void theWhatsAppWindowIsKnownFromInboundMessages() {
        SessionWindows windows = conversations.sessionWindows();
        WhatsAppAddress person = WhatsAppAddress.of("whatsapp:" + PERSON);
        WhatsAppAddress sender = WhatsAppAddress.of("whatsapp:" + OURS);
        assertEquals(SessionWindow.Status.UNKNOWN, windows.window(person, sender).status());

        Instant wrote = clock.instant();
        router.route(inbound("SM" + "e".repeat(32), "whatsapp:" + PERSON, "whatsapp:" + OURS, "hello", Map.of()));
        SessionWindow open = windows.window(person, sender);
        assertEquals(SessionWindow.Status.OPEN, open.status());
        assertEquals(Optional.of(wrote.plus(SessionWindows.LENGTH)), open.until());
        assertEquals(SessionWindow.Status.UNKNOWN,
                windows.window(person, WhatsAppAddress.of("whatsapp:+14155550199")).status());

        clock.advance(Duration.ofHours(24));
        assertEquals(SessionWindow.Status.CLOSED, windows.window(person, sender).status());

        router.route(inbound("SM" + "f".repeat(32), "whatsapp:" + PERSON, "whatsapp:" + OURS, "again", Map.of()));
        assertTrue(windows.window(person, sender).isOpen());
        clock.advance(Duration.ofMinutes(1));
        windows.refused(person, sender);
        assertTrue(windows.window(person, sender).isClosed());
    }

    // ---- bad input

    @Test
    void askRefusesAnUnknownQuestionAndAMessageForSomeoneElse() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> conversations.ask(SMS, "remind", sms("x"), ""));
        assertTrue(unknown.getMessage().startsWith("question \"remind\" is not registered; registered: "),
                unknown.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> conversations.ask(SMS,
                "reminder", OutboxMessage.of("sms", Message.text("+14155559999", "x")), ""));
        assertEquals("message: its recipient +1415***9999 is not the conversation's person; ask the person who is to"
                + " answer", other.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> conversations.ask(SMS, "reminder", sms("x"), "", Duration.ZERO));
        assertEquals("timeout must be positive, was PT0S; give how long to wait for an answer, e.g."
                + " Duration.ofHours(2)", zero.getMessage());
        assertEquals(0, queued());
    }
}
