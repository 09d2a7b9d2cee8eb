package org.twiliochannels.core.inbound;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.OptOutKeywords;
import org.twiliochannels.core.inbound.InboundEvent.Button;
import org.twiliochannels.core.inbound.InboundEvent.ListItem;
import org.twiliochannels.core.inbound.InboundEvent.Route;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.InboundMessage.Keyword;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookVerifier;
import org.twiliochannels.core.whatsapp.SessionWindows;

/**
 * Chooses the handler of each inbound message by what arrived, and answers Twilio with its TwiML.
 * Give it messages verified by {@link WebhookVerifier}; write {@link InboundReply#twiml()} as the
 * webhook's answer (status 200, {@code Content-Type: text/xml}).
 *
 * <p><b>Order</b>, first match wins:
 * <ol>
 *   <li><b>Twilio's keywords</b>, exactly as Twilio matches them ({@link OptOutKeywords}: the whole
 *       body, ASCII letters, or Twilio's {@code OptOutType}). An opt-out ({@code STOP},
 *       {@code CANCEL} …) is recorded in the {@link ConsentLedger} (source keyword and message SID)
 *       and routing ends there: {@link Builder#afterOptOut} is told, no handler runs, Twilio gets
 *       an empty answer. An opt-in ({@code START}, {@code YES}, {@code UNSTOP}) is recorded too,
 *       then routed on like any message; a help keyword changes nothing and is routed on.</li>
 *   <li>A WhatsApp <b>button's payload</b> ({@code ButtonPayload}) or <b>list item's id</b>
 *       ({@code ListId}) that has a handler ({@link Builder#buttonPayload}).</li>
 *   <li>The conversation's <b>open question</b> ({@link Builder#questions}).</li>
 *   <li>A <b>keyword</b>: the whole body, {@linkplain Keywords#normalize normalized}
 *       ({@link Builder#keyword}).</li>
 *   <li>A <b>pattern</b>, in the order given ({@link Builder#pattern}).</li>
 *   <li>The <b>fallback</b> ({@link Builder#fallback}); without one, no answer.</li>
 * </ol>
 *
 * <p><b>Failures.</b> A handler (or look-up of the open question) that throws is logged at WARN
 * with the rule, the exception's class and where it was thrown, the message SID and the sender
 * masked; never the body, nor the exception's message (it may quote the body). Twilio is then
 * answered with an empty {@code <Response/>}, so it does not deliver the message again. When the
 * consent ledger cannot record a keyword, that is logged at ERROR, and the message is not
 * remembered as handled, so that a repeated delivery records it again.
 *
 * <p><b>Repeated deliveries.</b> Twilio may deliver a message more than once. The router
 * remembers the SIDs of the last {@link #DEFAULT_RECENT_MESSAGES} messages (see
 * {@link Builder#recentMessages}) with the answer each got: a repeated SID gets the same answer
 * again (an empty one while the first delivery is still being handled), and nothing runs twice,
 * the ledger included. The memory is this router's: instances behind a load balancer each have
 * their own; the outbox module's {@code Conversations.openQuestions()} also records every SID in
 * the database, so that a repeat reaching another instance runs nothing either.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class InboundRouter {
    /** How many message SIDs a router remembers by default to drop repeated deliveries. */
    public static final int DEFAULT_RECENT_MESSAGES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(InboundRouter.class);

    private final ConsentLedger ledger;
    private final Map<String, Rule> buttons;
    private final Map<String, Rule> keywords;
    private final List<Rule> patterns;
    private final InboundHandler fallback;
    private final OpenQuestions questions;
    private final Consumer<InboundEvent> afterOptOut;
    private final Clock clock;
    private final RecentMessages recent;
    private final SessionWindows windows;
    private final Builder source;

    private InboundRouter(Builder b, Map<String, Rule> buttons, Map<String, Rule> keywords, List<Rule> patterns) {
        this.ledger = b.ledger;
        this.buttons = buttons;
        this.keywords = keywords;
        this.patterns = patterns;
        this.fallback = b.fallback;
        this.questions = b.questions;
        this.afterOptOut = b.afterOptOut;
        this.clock = b.clock;
        this.recent = new RecentMessages(b.recentMessages);
        this.windows = b.windows;
        this.source = b.copy();
    }

    /**
     * A builder whose router records Twilio's keywords in {@code ledger}: the one sends are checked
     * against ({@link ConsentLedger#inMemory()} in tests, the outbox's in production).
     */
    public static Builder builder(ConsentLedger ledger) {
        return new Builder(Objects.requireNonNull(ledger, "ledger"));
    }

    /** A builder with this router's rules and settings, to add to them. */
    public Builder newBuilder() {
        return source.copy();
    }

    /**
     * Routes one verified inbound message and returns the answer for Twilio. Never throws for what
     * a handler does.
     *
     * @throws IllegalArgumentException for a {@code StatusCallback}: only inbound messages are routed
     */
    public InboundReply route(TwilioWebhook webhook) {
        Objects.requireNonNull(webhook, "webhook");
        if (!(webhook instanceof InboundMessage message)) {
            throw new IllegalArgumentException("webhook: a status callback is not an inbound message; route only"
                    + " InboundMessage and handle StatusCallback with your delivery records (or the outbox)");
        }
        String sid = message.messageSid();
        Optional<InboundReply> earlier = recent.begin(sid);
        if (earlier.isPresent()) {
            LOG.debug("message {} from {} was delivered again; answered as the first time, nothing ran", sid,
                    masked(message));
            return earlier.get();
        }
        recordWindow(message);
        Routing routing = new Routing(message);
        InboundReply reply = routing.run();
        if (routing.ledgerFailed) {
            recent.forget(sid);
        } else {
            recent.finish(sid, reply);
        }
        return reply;
    }

    /** Records that the person wrote to our WhatsApp sender now; a failure is logged, routing goes on. */
    private void recordWindow(InboundMessage message) {
        if (!message.from().startsWith(WhatsAppAddress.PREFIX) || !message.to().startsWith(WhatsAppAddress.PREFIX)) {
            return;
        }
        try {
            windows.inbound(WhatsAppAddress.of(message.from()), WhatsAppAddress.of(message.to()));
        } catch (RuntimeException e) {
            LOG.warn("the WhatsApp window of message {} from {} was not recorded ({} at {}); routing goes on",
                    message.messageSid(), masked(message), e.getClass().getName(), where(e));
        }
    }

    /** The routing of one message. */
    private final class Routing {
        private final InboundMessage message;
        private boolean ledgerFailed;

        Routing(InboundMessage message) {
            this.message = message;
        }

        InboundReply run() {
            Optional<Keyword> kind = OptOutKeywords.classify(message);
            Optional<ConsentChange> change = kind.isPresent() && kind.get() != Keyword.HELP ? record() : Optional.empty();
            if (kind.isPresent() && kind.get() == Keyword.STOP) {
                InboundEvent event = event(Route.OPT_OUT, "", null, null, change);
                try {
                    afterOptOut.accept(event);
                } catch (RuntimeException e) {
                    failed("afterOptOut", e);
                }
                LOG.debug("message {} from {} is an opt-out; recorded, no handler ran", message.messageSid(), masked(message));
                return InboundReply.none();
            }
            for (String payload : payloads()) {
                Rule rule = buttons.get(payload);
                if (rule != null) {
                    return invoke(rule.described, rule.handler, event(Route.BUTTON, payload, null, null, change));
                }
            }
            Optional<InboundHandler> answer;
            try {
                answer = questions.answering(message);
            } catch (Exception e) {
                return failed("the open-question look-up", e);
            }
            if (answer == null) {
                return returnedNull("the open-question look-up", "Optional.empty()");
            }
            if (answer.isPresent()) {
                return invoke("the open question", answer.get(), event(Route.QUESTION, "", null, null, change));
            }
            String normalized = Keywords.normalize(message.body());
            Rule keyword = keywords.get(normalized);
            if (keyword != null) {
                Locale language = keyword.keywords.language(normalized).orElse(null);
                return invoke(keyword.described, keyword.handler, event(Route.KEYWORD, normalized, language, null, change));
            }
            for (Rule rule : patterns) {
                Matcher m = rule.pattern.matcher(message.body());
                if (m.find()) {
                    return invoke(rule.described, rule.handler,
                            event(Route.PATTERN, rule.pattern.pattern(), null, m.toMatchResult(), change));
                }
            }
            if (fallback == null) {
                return InboundReply.none();
            }
            return invoke("the fallback", fallback, event(Route.FALLBACK, "", null, null, change));
        }

        private Optional<ConsentChange> record() {
            try {
                Optional<ConsentChange> change = ConsentChange.of(message, clock.instant());
                change.ifPresent(ledger::record);
                return change;
            } catch (RuntimeException e) {
                ledgerFailed = true;
                LOG.error("the consent ledger could not record the keyword of message {} from {} ({} at {}); it is"
                                + " not remembered as handled, so a repeated delivery records it again",
                        message.messageSid(), masked(message), e.getClass().getName(), where(e));
                return Optional.empty();
            }
        }

        /** The button payload, then the list item id, of the message. */
        private List<String> payloads() {
            List<String> found = new ArrayList<>(2);
            Button.of(message).ifPresent(b -> found.add(b.payload()));
            ListItem.of(message).ifPresent(l -> found.add(l.id()));
            return found;
        }

        private InboundEvent event(Route route, String matched, Locale language, MatchResult match,
                                   Optional<ConsentChange> change) {
            return new InboundEvent(message, route, matched, Optional.ofNullable(language), Optional.ofNullable(match),
                    change);
        }

        private InboundReply invoke(String rule, InboundHandler handler, InboundEvent event) {
            InboundReply reply;
            try {
                reply = handler.handle(event);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return failed(rule, e);
            }
            if (reply == null) {
                return returnedNull(rule, "InboundReply.none()");
            }
            LOG.debug("message {} from {} routed to {}", message.messageSid(), masked(message), rule);
            return reply;
        }

        private InboundReply returnedNull(String rule, String instead) {
            LOG.warn("{} returned null instead of {} on message {} from {}; Twilio is answered with an empty response",
                    rule, instead, message.messageSid(), masked(message));
            return InboundReply.none();
        }

        private InboundReply failed(String rule, Exception e) {
            LOG.warn("{} threw {} at {} on message {} from {}; Twilio is answered with an empty response, so it does"
                            + " not deliver the message again", rule, e.getClass().getName(), where(e),
                    message.messageSid(), masked(message));
            return InboundReply.none();
        }
    }

    /** The first frame of a stack trace: where a failure happened, without its message. */
    private static String where(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "an unknown place" : trace[0].toString();
    }

    private static String masked(InboundMessage message) {
        try {
            return Address.parse(message.from()).masked();
        } catch (IllegalArgumentException e) {
            return "(a sender of " + message.from().length() + " characters)";
        }
    }

    /** One rule of the configuration, numbered in the order given. */
    private record Rule(int number, String described, InboundHandler handler, Keywords keywords, Pattern pattern,
                        String payload) {}

    /**
     * Builds an {@link InboundRouter}. Every rule is checked in {@link #build()}, which names each
     * problem found. Defaults: no open questions ({@link OpenQuestions#none()}), no fallback (no
     * answer), {@code afterOptOut} does nothing, the system clock (UTC) for consent records,
     * {@link #DEFAULT_RECENT_MESSAGES} SIDs remembered, no WhatsApp windows recorded.
     */
    public static final class Builder {
        private static final String LAMBDA = "a lambda";
        private final ConsentLedger ledger;
        private final List<Rule> rules = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private InboundHandler fallback;
        private OpenQuestions questions = OpenQuestions.none();
        private Consumer<InboundEvent> afterOptOut = event -> { };
        private Clock clock = Clock.systemUTC();
        private int recentMessages = DEFAULT_RECENT_MESSAGES;
        private SessionWindows windows = SessionWindows.none();

        private Builder(ConsentLedger ledger) {
            this.ledger = ledger;
        }

        private Builder copy() {
            Builder b = new Builder(ledger);
            b.rules.addAll(rules);
            b.problems.addAll(problems);
            b.fallback = fallback;
            b.questions = questions;
            b.afterOptOut = afterOptOut;
            b.clock = clock;
            b.recentMessages = recentMessages;
            b.windows = windows;
            return b;
        }

        /**
         * A handler for one keyword.
         *
         * @throws IllegalArgumentException when the keyword is empty once normalized
         */
        public Builder keyword(String keyword, InboundHandler handler) {
            return keyword(Keywords.of(Objects.requireNonNull(keyword, "keyword")), handler);
        }

        /**
         * A handler for synonyms, e.g. {@code Set.of("YES", "SI", "OUI")}.
         *
         * @throws IllegalArgumentException when the set is empty or a word is empty once normalized
         */
        public Builder keyword(Set<String> synonyms, InboundHandler handler) {
            return keyword(Keywords.of(synonyms), handler);
        }

        /**
         * A handler for keywords, with their languages ({@link Keywords#in}). Twilio's opt-out
         * keywords cannot have a handler: they are recorded in the consent ledger (use
         * {@link #afterOptOut} to be told). An opt-in keyword ({@code YES}, {@code START}) may: the
         * message is recorded as an opt-in first, then handled.
         */
        public Builder keyword(Keywords keywords, InboundHandler handler) {
            Objects.requireNonNull(keywords, "keywords");
            Objects.requireNonNull(handler, "handler");
            String list = keywords.normalized().stream().map(k -> keywords.given(k)
                    + keywords.language(k).map(l -> " (" + l.toLanguageTag() + ")").orElse(""))
                    .collect(Collectors.joining(", "));
            rules.add(new Rule(rules.size() + 1, describe("keyword(" + list + ")", rules.size() + 1, handler), handler,
                    keywords, null, null));
            return this;
        }

        /**
         * A handler for bodies in which {@code pattern} is found ({@link Matcher#find()} on the body
         * as received: anchor it with {@code ^…$} to match the whole body). Patterns are tried in
         * the order given, after keywords; the handler reads the groups from
         * {@link InboundEvent#patternMatch()}.
         */
        public Builder pattern(Pattern pattern, InboundHandler handler) {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(handler, "handler");
            rules.add(new Rule(rules.size() + 1, describe("pattern(" + pattern.pattern() + ")", rules.size() + 1,
                    handler), handler, null, pattern, null));
            return this;
        }

        /**
         * A handler for a WhatsApp quick-reply button's payload ({@code ButtonPayload}) or a list
         * item's id ({@code ListId}), compared exactly.
         *
         * @throws IllegalArgumentException when {@code payload} is empty
         */
        public Builder buttonPayload(String payload, InboundHandler handler) {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(handler, "handler");
            if (payload.isEmpty()) {
                throw new IllegalArgumentException("payload is empty; give the id the button or list item was"
                        + " defined with, e.g. \"confirm\"");
            }
            rules.add(new Rule(rules.size() + 1, describe("buttonPayload(" + payload + ")", rules.size() + 1, handler),
                    handler, null, null, payload));
            return this;
        }

        /** Where the open question of a conversation is looked up. Default: {@link OpenQuestions#none()}. */
        public Builder questions(OpenQuestions questions) {
            this.questions = Objects.requireNonNull(questions, "questions");
            return this;
        }

        /** The handler of messages no other rule chose. Default: none (no answer). Set it once. */
        public Builder fallback(InboundHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (fallback != null) {
                problems.add("fallback is set twice (first " + name(fallback) + ", then " + name(handler)
                        + "); give one fallback");
            }
            this.fallback = handler;
            return this;
        }

        /**
         * Told of each opt-out after it was recorded in the ledger (the event's
         * {@link InboundEvent#consentChange()}; empty when the ledger failed). It cannot undo the
         * record nor answer the message (Twilio confirms an opt-out itself); an exception it throws
         * is logged. Default: nothing.
         */
        public Builder afterOptOut(Consumer<InboundEvent> listener) {
            this.afterOptOut = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where every routed WhatsApp message records that its sender wrote to our number now, so
         * that sends know the 24-hour window before the request (give the same windows to
         * {@code TwilioAccount.Builder.sessionWindows}). Repeated deliveries are not recorded again.
         * Default: {@link SessionWindows#none()}.
         */
        public Builder sessionWindows(SessionWindows windows) {
            this.windows = Objects.requireNonNull(windows, "windows");
            return this;
        }

        /** The clock consent records are dated with. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How many message SIDs to remember to drop repeated deliveries. Default:
         * {@link #DEFAULT_RECENT_MESSAGES}.
         *
         * @throws IllegalArgumentException when below 1
         */
        public Builder recentMessages(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("recentMessages must be at least 1, was " + count);
            }
            this.recentMessages = count;
            return this;
        }

        /**
         * Checks the rules and builds the router.
         *
         * @throws IllegalStateException naming every problem: a keyword (after normalization), a
         *                               button payload or a pattern with two handlers, a keyword
         *                               that is Twilio's opt-out keyword, a fallback set twice
         */
        public InboundRouter build() {
            List<String> found = new ArrayList<>(problems);
            Map<String, Rule> buttons = new LinkedHashMap<>();
            Map<String, Rule> keywords = new LinkedHashMap<>();
            Map<String, Rule> patterns = new LinkedHashMap<>();
            for (Rule rule : rules) {
                if (rule.payload != null) {
                    twice(found, buttons, rule.payload, rule, "button payload \"" + rule.payload + "\"");
                } else if (rule.pattern != null) {
                    twice(found, patterns, rule.pattern.pattern() + "/" + rule.pattern.flags(), rule,
                            "pattern \"" + rule.pattern.pattern() + "\"");
                } else {
                    for (String word : rule.keywords.normalized()) {
                        String upper = word.toUpperCase(Locale.ROOT);
                        if (OptOutKeywords.optOut().contains(upper)) {
                            found.add("keyword \"" + rule.keywords.given(word) + "\" of " + rule.described + ": " + upper
                                    + " is Twilio's opt-out keyword: it is recorded in the consent ledger and cannot"
                                    + " have a handler; use afterOptOut(...) to be told of opt-outs");
                        } else {
                            twice(found, keywords, word, rule, "keyword \"" + word + "\"");
                        }
                    }
                }
            }
            if (!found.isEmpty()) {
                throw new IllegalStateException(String.join("; ", found));
            }
            return new InboundRouter(this, Map.copyOf(buttons), Map.copyOf(keywords), List.copyOf(patterns.values()));
        }

        private static void twice(List<String> found, Map<String, Rule> seen, String key, Rule rule, String what) {
            Rule first = seen.putIfAbsent(key, rule);
            if (first != null && first != rule) {
                found.add(what + " has two handlers: " + first.described + " and " + rule.described
                        + "; give each one handler");
            }
        }

        /** A rule for messages: its number, what it matches, and its handler's class unless a lambda. */
        private static String describe(String what, int number, InboundHandler handler) {
            String name = name(handler);
            return "rule " + number + " " + what + (name.equals(LAMBDA) ? "" : " by " + name);
        }

        /** A handler's class name, or "a lambda". */
        private static String name(InboundHandler handler) {
            Class<?> type = handler.getClass();
            return type.isSynthetic() || type.isHidden() || type.isAnonymousClass() ? LAMBDA : type.getSimpleName();
        }
    }
}
