package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.ConsentState;
import org.twiliochannels.core.inbound.InboundEvent;
import org.twiliochannels.core.inbound.InboundEvent.Route;
import org.twiliochannels.core.inbound.InboundHandler;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.inbound.Keywords;
import org.twiliochannels.core.inbound.OpenQuestions;
import org.twiliochannels.core.testsupport.CapturedOutput;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.whatsapp.SessionWindow;
import org.twiliochannels.core.whatsapp.SessionWindows;

/**
 * {@link InboundRouter} on genuine signed webhooks, verified by {@link WebhookVerifier} as an
 * application verifies them (this test lives beside the package's signing helper, {@link Webhooks}):
 * each rule and their order, Twilio's keywords reaching the consent ledger first, failures of
 * handlers, repeated deliveries and the configuration's refusals.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboundRouterTest {
    private static final Instant NOW = Instant.parse("2026-12-04T19:00:00Z");
    private static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    private static final String WA_SENDER = "whatsapp:+14155238886";

    private final WebhookVerifier verifier = Webhooks.verifier().build();
    private final ConsentLedger ledger = ConsentLedger.inMemory();
    private final List<InboundEvent> seen = new ArrayList<>();
    private int sids;

    /** A handler that keeps the event and answers {@code text}. */
    private InboundHandler answer(String text) {
        return event -> {
            seen.add(event);
            return InboundReply.message(text);
        };
    }

    private InboundRouter.Builder builder() {
        return InboundRouter.builder(ledger).clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A new SMS message SID for each message of a test. */
    private String nextSid() {
        return String.format("SM%032x", ++sids);
    }

    private Map<String, String> sms(String body) {
        Map<String, String> p = Webhooks.smsInbound(body);
        p.put("MessageSid", nextSid());
        return p;
    }

    private Map<String, String> whatsapp(String body, Map<String, String> extra) {
        Map<String, String> p = sms(body);
        p.put("From", Webhooks.WHATSAPP_FROM);
        p.put("To", WA_SENDER);
        p.put("ProfileName", "Ada");
        p.put("WaId", "14155551234");
        p.putAll(extra);
        return p;
    }

    /** Signs, verifies and routes, as an endpoint does. */
    private String post(InboundRouter router, Map<String, String> params) {
        return router.route(verifier.verify(Webhooks.signed(Webhooks.URL, params))).twiml();
    }

    private static String reply(String text) {
        return TwimlReply.message(text);
    }

    @Test
    void everyWhatsAppMessageOpensTheSendersWindowOnceAndSmsDoesNot() {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SessionWindows windows = SessionWindows.inMemory(moving);
        InboundRouter router = builder().sessionWindows(windows).fallback(answer("?")).build();
        WhatsAppAddress person = WhatsAppAddress.of(Webhooks.WHATSAPP_FROM);
        WhatsAppAddress sender = WhatsAppAddress.of(WA_SENDER);
        post(router, sms("hello"));
        assertEquals(SessionWindow.Status.UNKNOWN, windows.window(person, sender).status());

        Map<String, String> hi = whatsapp("hi", Map.of());
        post(router, hi);
        assertEquals(new SessionWindow(SessionWindow.Status.OPEN, Optional.of(NOW), Optional.of(NOW.plus(
                SessionWindows.LENGTH))), windows.window(person, sender));
        assertEquals(SessionWindow.Status.UNKNOWN, windows.window(person, WhatsAppAddress.of("whatsapp:+14155550199"))
                .status());

        now.set(NOW.plus(SessionWindows.LENGTH));
        post(router, hi); // a repeated delivery is not a new message: the window stays as it was
        assertTrue(windows.window(person, sender).isClosed());
        post(router, whatsapp("again", Map.of()));
        assertEquals(Optional.of(NOW.plus(SessionWindows.LENGTH).plus(SessionWindows.LENGTH)),
                windows.window(person, sender).until());
        windows.refused(person, sender);
        assertTrue(windows.window(person, sender).isClosed());
        assertEquals(SessionWindow.unknown(), SessionWindows.none().window(person, sender));
    }

    @Test
    void keywordsMatchWhateverTheCaseAccentsAndSurroundingPunctuation() {
        InboundRouter router = builder().keyword("YES", answer("confirmed")).fallback(answer("?")).build();
        for (String body : List.of("YES", "Yes!", " yes.", "YÉS", "¡yes!")) {
            assertEquals(reply("confirmed"), post(router, sms(body)), body);
        }
        assertEquals(reply("?"), post(router, sms("yes please")), "the whole body must be the keyword");
        assertEquals(List.of(Route.KEYWORD, Route.KEYWORD, Route.KEYWORD, Route.KEYWORD, Route.KEYWORD, Route.FALLBACK),
                seen.stream().map(InboundEvent::route).toList());
        assertEquals("yes", seen.get(1).matched());
    }

    @Test
    void synonymsPerLanguageNameTheLanguageThatMatched() {
        InboundRouter router = builder()
                .keyword(Keywords.of("YES").in(Locale.FRENCH, "OUI").in(Locale.forLanguageTag("es"), "SÍ"), answer("ok"))
                .keyword(Set.of("C", "CANCELAR"), answer("cancelled"))
                .build();
        post(router, sms("oui !"));
        post(router, sms("si"));
        post(router, sms("Yes"));
        assertEquals(reply("cancelled"), post(router, sms("Cancelar")));
        assertEquals(List.of(Optional.of(Locale.FRENCH), Optional.of(Locale.forLanguageTag("es")), Optional.empty(),
                Optional.empty()), seen.stream().map(InboundEvent::language).toList());
    }

    @Test
    void patternsAreTriedInOrderAfterKeywordsAndGiveTheirGroups() {
        InboundRouter router = builder()
                .pattern(Pattern.compile("^\\s*(\\d{4})\\s*$"), answer("code"))
                .pattern(Pattern.compile("\\d"), answer("digits"))
                .keyword("1234", answer("keyword"))
                .build();
        assertEquals(reply("keyword"), post(router, sms("1234")), "a keyword is tried before patterns");
        assertEquals(reply("code"), post(router, sms(" 9876 ")));
        assertEquals("9876", seen.get(1).patternMatch().orElseThrow().group(1));
        assertEquals("^\\s*(\\d{4})\\s*$", seen.get(1).matched());
        assertEquals(reply("digits"), post(router, sms("room 12")));
        assertEquals(EMPTY, post(router, sms("hello")), "no fallback: no answer");
    }

    @Test
    void aButtonPayloadOrListItemIdWinsOverTheOpenQuestionAndKeywords() {
        OpenQuestions question = message -> Optional.of(answer("question"));
        InboundRouter router = builder()
                .buttonPayload("confirm-42", answer("button"))
                .buttonPayload("slot-2", answer("list"))
                .keyword("YES", answer("keyword"))
                .questions(question)
                .build();
        String sent = "MM" + "0123456789abcdef".repeat(2);
        assertEquals(reply("button"), post(router, whatsapp("Yes", Map.of("ButtonPayload", "confirm-42",
                "ButtonText", "Yes", "MessageType", "button", "OriginalRepliedMessageSid", sent))));
        InboundEvent button = seen.get(0);
        assertEquals(Route.BUTTON, button.route());
        assertEquals(Optional.of(new InboundEvent.Button("confirm-42", "Yes")), button.button());
        assertEquals(Optional.of(sent), button.repliedTo());

        assertEquals(reply("list"), post(router, whatsapp("Tue 10:00", Map.of("ListId", "slot-2",
                "ListTitle", "Tue 10:00", "MessageType", "interactive"))));
        assertEquals(Optional.of(new InboundEvent.ListItem("slot-2", "Tue 10:00")), seen.get(1).listItem());
        assertEquals(Optional.empty(), seen.get(1).button());

        assertEquals(reply("question"), post(router, whatsapp("Yes", Map.of("ButtonPayload", "unknown",
                "ButtonText", "Yes"))), "a payload without a handler goes on to the open question");
        assertEquals(Route.QUESTION, seen.get(2).route());
    }

    @Test
    void theOpenQuestionWinsOverKeywordsAndAnEmptyAnswerGoesOn() {
        AtomicInteger asked = new AtomicInteger();
        OpenQuestions onlyForC = message -> {
            asked.incrementAndGet();
            return Keywords.normalize(message.body()).equals("c") ? Optional.of(answer("question")) : Optional.empty();
        };
        InboundRouter router = builder().questions(onlyForC).keyword(Set.of("C", "YES"), answer("keyword")).build();
        assertEquals(reply("question"), post(router, sms("C")));
        assertEquals(reply("keyword"), post(router, sms("Yes!")));
        assertEquals(2, asked.get());
    }

    @Test
    void typedAnswersOfWhatsAppLocationsAndMissingOnes() {
        InboundRouter router = builder().fallback(answer("thanks")).build();
        post(router, whatsapp("", Map.of("Latitude", "48.858370", "Longitude", "2.294481", "Address",
                "Champ de Mars, Paris", "Label", "Eiffel Tower")));
        post(router, whatsapp("", Map.of("Latitude", "48.8", "Longitude", "2.2")));
        post(router, whatsapp("", Map.of("Latitude", "north", "Longitude", "2.2")));
        post(router, sms("hello"));
        assertEquals(Optional.of(new InboundEvent.Location(48.858370, 2.294481, Optional.of("Champ de Mars, Paris"),
                Optional.of("Eiffel Tower"))), seen.get(0).location());
        assertEquals(Optional.of(new InboundEvent.Location(48.8, 2.2, Optional.empty(), Optional.empty())),
                seen.get(1).location());
        assertEquals(Optional.empty(), seen.get(2).location(), "not decimal degrees: no location");
        assertEquals(Optional.empty(), seen.get(3).location());
        assertEquals(Optional.empty(), seen.get(3).button());
        assertEquals(Optional.empty(), seen.get(3).listItem());
        assertEquals(Optional.empty(), seen.get(3).repliedTo());
        assertEquals("Location[hidden]", seen.get(0).location().orElseThrow().toString());
    }

    @Test
    void stopIsRecordedInTheLedgerAndNoHandlerRuns() {
        List<InboundEvent> optOuts = new ArrayList<>();
        InboundRouter router = builder()
                .pattern(Pattern.compile(".*"), answer("pattern"))
                .questions(message -> Optional.of(answer("question")))
                .buttonPayload("stop", answer("button"))
                .fallback(answer("fallback"))
                .afterOptOut(optOuts::add)
                .build();
        Map<String, String> stop = sms("Stop");
        assertEquals(EMPTY, post(router, stop));
        assertEquals(List.of(), seen, "no application handler saw the opt-out");
        ConsentScope scope = ConsentScope.of((InboundMessage) verifier.verify(Webhooks.signed(Webhooks.URL, stop)));
        assertEquals(Webhooks.smsInbound("").get("To"), scope.sender(), "the number the STOP was sent to");
        ConsentChange expected = ConsentChange.optOut(PhoneNumber.of(Webhooks.FROM), scope,
                new ConsentSource.Keyword("STOP", MessageSid.of(stop.get("MessageSid"))), NOW);
        assertEquals(List.of(expected), ledger.changes());
        assertEquals(1, optOuts.size());
        assertEquals(Route.OPT_OUT, optOuts.get(0).route());
        assertEquals(Optional.of(expected), optOuts.get(0).consentChange());

        assertEquals(EMPTY, post(router, whatsapp("ARRETE", Map.of("OptOutType", "STOP", "ButtonPayload", "stop"))));
        assertEquals("OptOutType=STOP", ((ConsentSource.Keyword) ledger.changes().get(1).source()).keyword(),
                "Twilio's OptOutType wins, even over a button payload with a handler");
        assertEquals(List.of(), seen);
    }

    @Test
    void anOptOutIsRecordedEvenWhenAfterOptOutThrows() {
        String out = CapturedOutput.of(() -> {
            InboundRouter router = builder().afterOptOut(event -> {
                throw new IllegalStateException("listener broke");
            }).build();
            assertEquals(EMPTY, post(router, sms("UNSUBSCRIBE")));
        });
        assertEquals(ConsentState.OPTED_OUT, ledger.changes().get(0).state());
        assertTrue(out.contains("afterOptOut threw java.lang.IllegalStateException at "), out);
        assertFalse(out.contains("listener broke"), out);
    }

    @Test
    void punctuatedStopIsNoOptOutForTwilioAndGoesToTheFallback() {
        InboundRouter router = builder().fallback(answer("fallback")).build();
        assertEquals(reply("fallback"), post(router, sms("STOP.")));
        assertEquals(List.of(), ledger.changes(), "Twilio matches the whole body: STOP. is no keyword");
    }

    @Test
    void optInIsRecordedThenHandledAndHelpChangesNothing() {
        InboundRouter router = builder().keyword(Set.of("YES", "HELP"), answer("handled")).build();
        Map<String, String> yes = sms("yes");
        assertEquals(reply("handled"), post(router, yes));
        ConsentChange optIn = ledger.changes().get(0);
        assertEquals(ConsentState.OPTED_IN, optIn.state());
        assertEquals(new ConsentSource.Keyword("YES", MessageSid.of(yes.get("MessageSid"))), optIn.source());
        assertEquals(Optional.of(optIn), seen.get(0).consentChange());

        assertEquals(reply("handled"), post(router, sms("HELP")));
        assertEquals(1, ledger.changes().size(), "help changes no consent");
        assertEquals(Optional.empty(), seen.get(1).consentChange());
    }

    @Test
    void aHandlerThatThrowsIsLoggedWithoutTheBodyAndTwilioGetsAnEmptyAnswer() {
        Map<String, String> params = sms("my secret appointment 1234");
        String out = CapturedOutput.of(() -> {
            InboundRouter router = builder().keyword("my secret appointment 1234", event -> {
                IllegalStateException e = new IllegalStateException("cannot parse " + event.message().body());
                e.setStackTrace(new StackTraceElement[] {
                        new StackTraceElement("com.example.Booking", "confirm", "Booking.java", 42)});
                throw e;
            }).build();
            assertEquals(EMPTY, post(router, params));
        });
        assertTrue(out.contains("WARN org.twiliochannels.core.inbound.InboundRouter - rule 1 keyword(my secret"
                + " appointment 1234) threw java.lang.IllegalStateException at com.example.Booking.confirm(Booking.java:42)"
                + " on message " + params.get("MessageSid") + " from +1415***1234; Twilio is answered with an empty"
                + " response, so it does not deliver the message again"), out);
        assertFalse(out.contains("cannot parse"), "the exception's message may quote the body: " + out);
        assertFalse(out.contains("+14155551234"), out);
    }

    @Test
    void aHandlerThatReturnsNullOrAQuestionLookUpThatThrowsIsAFailureToo() {
        String out = CapturedOutput.of(() -> {
            InboundRouter router = builder().fallback(event -> null).build();
            assertEquals(EMPTY, post(router, sms("hi")));
            InboundRouter broken = builder().questions(message -> {
                throw new java.sql.SQLException("database down");
            }).fallback(answer("fallback")).build();
            assertEquals(EMPTY, post(broken, sms("hi")));
        });
        assertTrue(out.contains("WARN org.twiliochannels.core.inbound.InboundRouter - the fallback returned null instead"
                + " of InboundReply.none() on message SM00000000000000000000000000000001 from +1415***1234; Twilio is"
                + " answered with an empty response"), out);
        assertTrue(out.contains("the open-question look-up threw java.sql.SQLException at "), out);
        assertEquals(List.of(), seen, "a failed look-up does not guess another handler");
    }

    @Test
    void aRepeatedDeliveryIsHandledOnceAndGetsTheSameAnswer() {
        AtomicInteger calls = new AtomicInteger();
        InboundRouter router = builder().fallback(event -> InboundReply.message("reply " + calls.incrementAndGet()))
                .build();
        Map<String, String> params = sms("hello");
        assertEquals(reply("reply 1"), post(router, params));
        assertEquals(reply("reply 1"), post(router, params), "Twilio delivered it again");
        assertEquals(1, calls.get());

        Map<String, String> stop = sms("STOP");
        post(router, stop);
        post(router, stop);
        assertEquals(1, ledger.changes().size(), "a repeated STOP is recorded once");
    }

    @Test
    void aDeliveryRepeatedWhileTheFirstIsHandledGetsAnEmptyAnswerAndRunsNothing() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        InboundRouter router = builder().fallback(event -> {
            calls.incrementAndGet();
            inHandler.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            return InboundReply.message("done");
        }).build();
        Map<String, String> params = sms("hello");
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<String> firstAnswer = first.submit(() -> post(router, params));
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            assertEquals(EMPTY, post(router, params), "the repeat does not wait for the first delivery");
            release.countDown();
            assertEquals(reply("done"), firstAnswer.get(10, TimeUnit.SECONDS));
        } finally {
            first.shutdownNow();
        }
        assertEquals(reply("done"), post(router, params), "a later repeat gets the first answer");
        assertEquals(1, calls.get());
    }

    @Test
    void newBuilderKeepsTheRulesAndLeavesTheRouterAsItWas() {
        InboundRouter yes = builder().keyword("YES", answer("yes")).build();
        InboundRouter both = yes.newBuilder().keyword("C", answer("c")).build();
        assertEquals(reply("yes"), post(both, sms("yes!")));
        assertEquals(reply("c"), post(both, sms("c")));
        assertEquals(EMPTY, post(yes, sms("c")));
        assertEquals("keyword \"yes\" has two handlers: rule 1 keyword(YES) and rule 2 keyword(Yes); give each one"
                        + " handler",
                assertThrows(IllegalStateException.class, () -> yes.newBuilder().keyword("Yes", answer("again"))
                        .build()).getMessage());
    }

    @Test
    void theRecentSidsAreBounded() {
        AtomicInteger calls = new AtomicInteger();
        InboundRouter router = builder().recentMessages(1).fallback(event -> {
            calls.incrementAndGet();
            return InboundReply.none();
        }).build();
        Map<String, String> first = sms("a");
        post(router, first);
        post(router, sms("b"));
        post(router, first);
        assertEquals(3, calls.get(), "past recentMessages SIDs, the oldest is forgotten");
    }

    @Test
    void aKeywordTheLedgerCouldNotRecordIsRecordedOnTheNextDelivery() {
        AtomicInteger attempts = new AtomicInteger();
        ConsentLedger flaky = new ConsentLedger() {
            @Override
            public void record(ConsentChange change) {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("connection refused");
                }
                ledger.record(change);
            }

            @Override
            public Optional<ConsentChange> status(ConsentScope scope, Address recipient) {
                return ledger.status(scope, recipient);
            }

            @Override
            public List<ConsentChange> history(Address recipient) {
                return ledger.history(recipient);
            }

            @Override
            public List<ConsentChange> current() {
                return ledger.current();
            }

            @Override
            public List<ConsentChange> changes() {
                return ledger.changes();
            }
        };
        Map<String, String> stop = sms("stop");
        String out = CapturedOutput.of(() -> {
            InboundRouter router = InboundRouter.builder(flaky).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
            assertEquals(EMPTY, post(router, stop));
            assertEquals(EMPTY, post(router, stop));
        });
        assertEquals(1, ledger.changes().size());
        assertTrue(out.contains("ERROR org.twiliochannels.core.inbound.InboundRouter - the consent ledger could not"
                + " record the keyword of message " + stop.get("MessageSid") + " from +1415***1234"
                + " (java.lang.IllegalStateException at "), out);
        assertFalse(out.contains("connection refused"), out);
    }

    @Test
    void statusCallbacksAreNotRouted() {
        InboundRouter router = builder().build();
        TwilioWebhook status = verifier.verify(Webhooks.signed(Webhooks.URL, Webhooks.status("delivered")));
        assertEquals("webhook: a status callback is not an inbound message; route only InboundMessage and handle"
                        + " StatusCallback with your delivery records (or the outbox)",
                assertThrows(IllegalArgumentException.class, () -> router.route(status)).getMessage());
    }

    @Test
    void aHandlerForAnOptOutKeywordIsRefused() {
        InboundHandler handler = answer("x");
        assertEquals("keyword \"STOP\" of rule 1 keyword(STOP): STOP is Twilio's opt-out keyword: it is recorded in the"
                        + " consent ledger and cannot have a handler; use afterOptOut(...) to be told of opt-outs",
                assertThrows(IllegalStateException.class, () -> builder().keyword("STOP", handler).build()).getMessage());
        assertEquals("keyword \"Cancel!\" of rule 2 keyword(OK, Cancel! (fr)): CANCEL is Twilio's opt-out keyword: it is"
                        + " recorded in the consent ledger and cannot have a handler; use afterOptOut(...) to be told of"
                        + " opt-outs",
                assertThrows(IllegalStateException.class, () -> builder().keyword("YES", handler)
                        .keyword(Keywords.of("OK").in(Locale.FRENCH, "Cancel!"), handler).build()).getMessage());
    }

    @Test
    void twoHandlersForOneNormalizedKeywordAreRefusedNamingBoth() {
        assertEquals("keyword \"oui\" has two handlers: rule 1 keyword(YES, OUI) and rule 2 keyword(Oui!) by Confirm;"
                        + " give each one handler",
                assertThrows(IllegalStateException.class, () -> builder().keyword(Keywords.of("YES", "OUI"), answer("a"))
                        .keyword("Oui!", new Confirm()).build()).getMessage());
    }

    @Test
    void everyProblemOfTheConfigurationIsNamedAtOnce() {
        InboundHandler h = answer("a");
        InboundRouter.Builder b = builder()
                .buttonPayload("confirm", h).buttonPayload("confirm", h)
                .pattern(Pattern.compile("^\\d+$"), h).pattern(Pattern.compile("^\\d+$"), h)
                .fallback(h).fallback(new Confirm());
        assertEquals("fallback is set twice (first a lambda, then Confirm); give one fallback;"
                        + " button payload \"confirm\" has two handlers: rule 1 buttonPayload(confirm) and"
                        + " rule 2 buttonPayload(confirm); give each one handler;"
                        + " pattern \"^\\d+$\" has two handlers: rule 3 pattern(^\\d+$) and rule 4 pattern(^\\d+$);"
                        + " give each one handler",
                assertThrows(IllegalStateException.class, b::build).getMessage());
    }

    @Test
    void badValuesAreRefusedWhenGiven() {
        InboundRouter.Builder b = builder();
        assertEquals("payload is empty; give the id the button or list item was defined with, e.g. \"confirm\"",
                assertThrows(IllegalArgumentException.class, () -> b.buttonPayload("", answer("a"))).getMessage());
        assertEquals("recentMessages must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.recentMessages(0)).getMessage());
        assertEquals("keyword \"...\" is empty once letter case, accents, surrounding punctuation and white space are"
                + " removed; give a word such as \"YES\"",
                assertThrows(IllegalArgumentException.class, () -> b.keyword("...", answer("a"))).getMessage());
    }

    @Test
    void repliesNeverShowTheirText() {
        assertEquals("InboundReply[none]", InboundReply.none().toString());
        assertFalse(InboundReply.message("your code is 1234").toString().contains("1234"));
        assertTrue(InboundReply.none().isNone());
        assertEquals(EMPTY, InboundReply.none().twiml());
    }

    /** A handler class, as a Spring bean would be. */
    static final class Confirm implements InboundHandler {
        @Override
        public InboundReply handle(InboundEvent event) {
            return InboundReply.none();
        }
    }
}
