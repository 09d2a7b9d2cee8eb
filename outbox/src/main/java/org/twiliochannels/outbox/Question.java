package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.twiliochannels.core.consent.OptOutKeywords;
import org.twiliochannels.core.inbound.InboundEvent.Button;
import org.twiliochannels.core.inbound.InboundEvent.ListItem;
import org.twiliochannels.core.inbound.Keywords;
import org.twiliochannels.core.webhook.InboundMessage;

/**
 * A kind of question the application asks (e.g. {@code "appointment-reminder"}): the answers it
 * expects, what to do on each, how long to wait, and what to do when no answer comes. Registered
 * with {@link Conversations.Builder#question} under its name, which is stored with every question
 * asked, so that any instance (after a restart too) knows what to run. Immutable.
 *
 * <pre>{@code
 * Question reminder = Question.named("appointment-reminder")
 *         .answer(Keywords.of("YES").in(Locale.FRENCH, "OUI"), a -> InboundReply.message("Confirmed."))
 *         .answer("C", a -> InboundReply.message("Cancelled."))
 *         .timeout(Duration.ofHours(2))
 *         .onTimeout(t -> t.ask("appointment-follow-up", followUp(t), t.data()))
 *         .build();
 * }</pre>
 */
public final class Question {
    /** The longest question name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;

    private final String name;
    private final Map<String, Answer> keywords;
    private final Map<String, Answer> payloads;
    private final Duration timeout;
    private final TimeoutAction onTimeout;

    /** One expected answer: what it matched as and its action. */
    record Answer(String described, String matched, AnswerAction action) {}

    private Question(Builder b, Map<String, Answer> keywords, Map<String, Answer> payloads) {
        this.name = b.name;
        this.keywords = keywords;
        this.payloads = payloads;
        this.timeout = b.timeout;
        this.onTimeout = b.onTimeout;
    }

    /**
     * A builder for the question named {@code name}: lower-case letters, digits, '.', '-' and '_'.
     *
     * @throws IllegalArgumentException when the name is not of that form
     */
    public static Builder named(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}")) {
            throw new IllegalArgumentException("question name \"" + name + "\" must be lower-case letters, digits, '.',"
                    + " '-' and '_', starting with a letter or digit, at most " + MAX_NAME_LENGTH + " characters,"
                    + " e.g. \"appointment-reminder\"");
        }
        return new Builder(name);
    }

    /** The name it is registered and stored under. */
    public String name() {
        return name;
    }

    /** How long an answer is waited for, unless {@link Conversations#ask} gives another time-out. */
    public Duration timeout() {
        return timeout;
    }

    TimeoutAction onTimeout() {
        return onTimeout;
    }

    /** The answer {@code message} gives: a button payload or list item id first, then the body as a keyword. */
    Optional<Answer> match(InboundMessage message) {
        Optional<Answer> button = Button.of(message).map(b -> payloads.get(b.payload()));
        if (button.isPresent()) {
            return button;
        }
        Optional<Answer> item = ListItem.of(message).map(l -> payloads.get(l.id()));
        if (item.isPresent()) {
            return item;
        }
        return Optional.ofNullable(keywords.get(Keywords.normalize(message.body())));
    }

    @Override
    public String toString() {
        return "Question[" + name + ", answers " + keywords.keySet() + (payloads.isEmpty() ? "" : " payloads "
                + payloads.keySet()) + ", timeout " + timeout + "]";
    }

    /**
     * Builds a {@link Question}; {@link #build()} names every problem. Required: at least one answer
     * and a positive time-out. Default on time-out: nothing (the question is closed as timed out).
     */
    public static final class Builder {
        private final String name;
        private final List<Given> answers = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private Duration timeout;
        private TimeoutAction onTimeout;

        /** An answer as given: keywords or a payload, and its action. */
        private record Given(Keywords keywords, String payload, AnswerAction action) {}

        private Builder(String name) {
            this.name = name;
        }

        /** An answer: one keyword (compared as the router compares keywords, {@link Keywords#normalize}). */
        public Builder answer(String keyword, AnswerAction action) {
            return answer(Keywords.of(Objects.requireNonNull(keyword, "keyword")), action);
        }

        /** An answer given by any of {@code synonyms}. */
        public Builder answer(Set<String> synonyms, AnswerAction action) {
            return answer(Keywords.of(synonyms), action);
        }

        /** An answer given by any of {@code keywords}, in their languages. */
        public Builder answer(Keywords keywords, AnswerAction action) {
            answers.add(new Given(Objects.requireNonNull(keywords, "keywords"), null, Objects.requireNonNull(action, "action")));
            return this;
        }

        /**
         * An answer given by pressing a WhatsApp quick-reply button with this payload
         * ({@code ButtonPayload}) or choosing a list item with this id ({@code ListId}), compared exactly.
         */
        public Builder payload(String payload, AnswerAction action) {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(action, "action");
            if (payload.isEmpty()) {
                problems.add("payload is empty; give the id the button or list item was defined with");
            }
            answers.add(new Given(null, payload, action));
            return this;
        }

        /** How long to wait for an answer (required, positive; {@link Conversations#ask} may give another). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** What to do when no answer came in time (default nothing). Set it once. */
        public Builder onTimeout(TimeoutAction action) {
            Objects.requireNonNull(action, "action");
            if (onTimeout != null) {
                problems.add("onTimeout is set twice; give one time-out action");
            }
            this.onTimeout = action;
            return this;
        }

        /**
         * Checks and builds the question.
         *
         * @throws IllegalStateException naming the question and every problem: no answer, an answer
         *                               with two actions, an opt-out keyword as an answer, no or a
         *                               non-positive time-out
         */
        public Question build() {
            List<String> found = new ArrayList<>(problems);
            Map<String, Answer> keywords = new LinkedHashMap<>();
            Map<String, Answer> payloads = new LinkedHashMap<>();
            int number = 0;
            for (Given a : answers) {
                number++;
                AnswerAction action = a.action();
                if (a.payload() != null) {
                    String payload = a.payload();
                    String described = "answer " + number + " payload(" + payload + ")";
                    twice(found, payloads, payload, new Answer(described, payload, action), "payload \"" + payload + "\"");
                    continue;
                }
                Keywords k = a.keywords();
                String described = "answer " + number + " " + k;
                for (String word : k.normalized()) {
                    String upper = word.toUpperCase(Locale.ROOT);
                    if (OptOutKeywords.optOut().contains(upper)) {
                        found.add("keyword \"" + word + "\" of " + described + ": " + upper + " is Twilio's"
                                + " opt-out keyword: it is recorded in the consent ledger and never answers a question;"
                                + " use another word, e.g. \"C\"");
                    } else {
                        twice(found, keywords, word, new Answer(described, word, action), "keyword \"" + word + "\"");
                    }
                }
            }
            if (answers.isEmpty()) {
                found.add("it has no answer; give at least one with answer(...) or payload(...)");
            }
            if (timeout == null) {
                found.add("it has no timeout; give how long to wait for an answer, e.g. timeout(Duration.ofHours(2))");
            } else if (timeout.isZero() || timeout.isNegative()) {
                found.add("timeout must be positive, was " + timeout + "; give how long to wait for an answer, e.g."
                        + " timeout(Duration.ofHours(2))");
            }
            if (!found.isEmpty()) {
                throw new IllegalStateException("question \"" + name + "\": " + String.join("; ", found));
            }
            if (onTimeout == null) {
                onTimeout = t -> { };
            }
            return new Question(this, Map.copyOf(keywords), Map.copyOf(payloads));
        }

        private static void twice(List<String> found, Map<String, Answer> seen, String key, Answer answer, String what) {
            Answer first = seen.putIfAbsent(key, answer);
            if (first != null && !first.described().equals(answer.described())) {
                found.add(what + " has two actions: " + first.described() + " and " + answer.described()
                        + "; give each answer one action");
            }
        }
    }
}
