package org.twiliochannels.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.inbound.InboundHandler;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.inbound.OpenQuestions;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.whatsapp.SessionWindows;

/**
 * Conversations on the outbox's database: small typed state per {@link Conversation}, and
 * questions that wait for an answer. {@link #ask} sends a message through the outbox and records a
 * question of a registered {@link Question} in the same transaction; the router
 * ({@link InboundRouter.Builder#questions} given {@link #openQuestions()}) matches a reply to the
 * conversation's most recent open question and runs that answer's action; a reply after the
 * time-out, or one that is no expected answer, goes on to the router's keywords and fallback. A
 * question not answered in time is a due row: {@link #fireDueTimeouts()} (called by a
 * {@link ConversationWorker} on each instance) claims it with {@code FOR UPDATE SKIP LOCKED} and
 * runs its time-out action in the transaction that closes it, so it fires once across instances
 * and restarts.
 *
 * <p>Every inbound message SID the router asks about is recorded, so a repeated delivery (Twilio
 * retries webhooks) is handled once even when another instance receives it: it answers an empty
 * {@code <Response/>} and runs nothing. {@link #sessionWindows()} keeps WhatsApp's 24-hour window
 * in the same database. Needs the outbox's schema ({@link Outbox#migrate()}). Thread-safe.
 *
 * <pre>{@code
 * Conversations conversations = Conversations.builder(outbox).question(reminder).build();
 * InboundRouter router = InboundRouter.builder(ledger).questions(conversations.openQuestions()).build();
 * conversations.ask(Conversation.sms("+14155551234", "+14155550100"), "appointment-reminder",
 *         OutboxMessage.of("sms", Message.text("+14155551234", "Reply YES to confirm, C to cancel")), "appt-42");
 * try (ConversationWorker worker = conversations.startWorker(Duration.ofSeconds(1))) { ... }
 * }</pre>
 */
public final class Conversations {
    /** How many times a time-out action is tried before its question is closed as failed. */
    public static final int MAX_TIMEOUT_TRIES = 5;
    /** The longest data given with a question, in characters. */
    public static final int MAX_DATA_LENGTH = 2000;
    /** The most time-outs one {@link #fireDueTimeouts()} fires. */
    static final int FIRE_BATCH = 100;
    /** The pause before a failed time-out action is tried again, doubled after each failure. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");
    private static final InboundHandler REPEATED = event -> InboundReply.none();

    private final OutboxStore outboxStore;
    private final ConversationStore store;
    private final Clock clock;
    private final Map<String, Question> questions;
    private final SessionWindows windows;

    private Conversations(Builder b, Map<String, Question> questions) {
        this.outboxStore = b.outbox.store();
        this.store = outboxStore.conversations();
        this.clock = b.outbox.clock();
        this.questions = questions;
        this.windows = new StoredSessionWindows(store, clock);
    }

    /** A builder for conversations on {@code outbox}'s database and clock. */
    public static Builder builder(Outbox outbox) {
        return new Builder(Objects.requireNonNull(outbox, "outbox"));
    }

    // ---- asking

    /**
     * Sends {@code message} through the outbox and opens a question of the registered
     * {@code question} in {@code conversation}, in one transaction, waiting the question's
     * time-out.
     *
     * @param data what the actions get back ({@link QuestionEvent#data()}), e.g. an appointment id; at
     *             most {@value #MAX_DATA_LENGTH} characters
     * @return the question's id
     * @throws IllegalArgumentException when the question is not registered, or the message is not
     *                                  for the conversation's channel and person
     */
    public long ask(Conversation conversation, String question, OutboxMessage message, String data) {
        return ask(conversation, question, message, data, null);
    }

    /** As {@link #ask(Conversation, String, OutboxMessage, String)}, waiting {@code timeout} (positive). */
    public long ask(Conversation conversation, String question, OutboxMessage message, String data, Duration timeout) {
        Instant now = clock.instant();
        check(conversation, question, message, data, timeout);
        return store.inTransaction(c -> ask(c, conversation, question, message, data, timeout, now));
    }

    /**
     * As {@link #ask(Conversation, String, OutboxMessage, String)} in the caller's transaction on
     * {@code connection} (never committed, rolled back or closed here): the message is sent and the
     * question opened if and only if the caller commits.
     */
    public long ask(Connection connection, Conversation conversation, String question, OutboxMessage message,
                    String data) {
        Objects.requireNonNull(connection, "connection");
        return ask(connection, conversation, question, message, data, null, clock.instant());
    }

    long ask(Connection c, Conversation conversation, String question, OutboxMessage message, String data,
             Duration timeout, Instant now) {
        Question q = check(conversation, question, message, data, timeout);
        Instant due = now.plus(timeout != null ? timeout : q.timeout());
        enqueue(c, message, now);
        try {
            return store.insertQuestion(c, conversation, question, data == null ? "" : data, now, due);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private Question check(Conversation conversation, String question, OutboxMessage message, String data,
                           Duration timeout) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(message, "message");
        Question q = questions.get(question);
        if (q == null) {
            throw new IllegalArgumentException("question \"" + question + "\" is not registered; registered: "
                    + questions.keySet() + ". Register it with Conversations.builder(outbox).question(...)");
        }
        if (!message.channel().equals(conversation.channel())) {
            throw new IllegalArgumentException("message: its channel \"" + message.channel() + "\" is not the"
                    + " conversation's \"" + conversation.channel() + "\"; send the question on the channel the"
                    + " answer is expected on");
        }
        if (!conversation.isPerson(message.message().to())) {
            throw new IllegalArgumentException("message: its recipient " + message.message().to().masked() + " is not"
                    + " the conversation's person; ask the person who is to answer");
        }
        if (data != null && data.length() > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("data is " + data.length() + " characters; at most " + MAX_DATA_LENGTH
                    + " are kept: give an id and keep the rest in your own tables");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout + "; give how long to wait"
                    + " for an answer, e.g. Duration.ofHours(2)");
        }
        return q;
    }

    boolean enqueue(Connection c, OutboxMessage message, Instant now) {
        return outboxStore.enqueue(c, List.of(message), now) == 1;
    }

    int cancelOpen(Connection c, Conversation conversation, long except, Instant now) {
        try {
            return store.cancelOpen(c, conversation, except, now);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    // ---- looking up

    /** The conversation's most recent open question whose time-out is still ahead: what a reply now answers. */
    public Optional<AskedQuestion> openQuestion(Conversation conversation) {
        Objects.requireNonNull(conversation, "conversation");
        Instant now = clock.instant();
        return store.inTransaction(c -> store.open(c, conversation)).stream()
                .filter(q -> q.timeoutAt().isAfter(now)).findFirst();
    }

    /** The question with this id, in whatever state. */
    public Optional<AskedQuestion> question(long id) {
        return store.inTransaction(c -> store.question(c, id)).map(ConversationStore.QuestionRow::question);
    }

    // ---- answering

    /**
     * The router's look-up of open questions ({@link InboundRouter.Builder#questions}): records the
     * message SID (a repeat answers empty and runs nothing), finds the conversation's most recent
     * question whose time-out is ahead, and when the message is one of its answers, closes it as
     * answered and runs the answer's action in the same transaction.
     */
    public OpenQuestions openQuestions() {
        return this::answering;
    }

    private Optional<InboundHandler> answering(InboundMessage message) {
        Conversation conversation;
        try {
            conversation = Conversation.of(message);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an address no conversation can have: no question either
        }
        Instant now = clock.instant();
        return store.inTransaction(c -> {
            if (!store.firstDelivery(c, message.messageSid(), now)) {
                LOG.debug("message {} was handled before (a repeated delivery); nothing runs", message.messageSid());
                return Optional.of(REPEATED);
            }
            Optional<ConversationStore.QuestionRow> open = store.newestOpen(c, conversation, now);
            if (open.isEmpty()) {
                return Optional.empty();
            }
            AskedQuestion asked = open.get().question();
            Question q = questions.get(asked.question());
            if (q == null) {
                LOG.warn("question #{} is a \"{}\", which is not registered here; the reply goes on to the router's"
                        + " other rules", asked.id(), asked.question());
                return Optional.empty();
            }
            Optional<Question.Answer> answer = q.match(message);
            if (answer.isEmpty()) {
                return Optional.empty();
            }
            store.close(c, asked.id(), QuestionState.ANSWERED, message.messageSid(), now);
            AskedQuestion closed = new AskedQuestion(asked.id(), asked.conversation(), asked.question(), asked.data(),
                    QuestionState.ANSWERED, asked.askedAt(), asked.timeoutAt());
            InboundReply reply = answer.get().action().answered(new QuestionEvent(this, c, closed, message,
                    answer.get().matched(), now));
            if (reply == null) {
                throw new IllegalStateException("the answer action of question \"" + asked.question() + "\" ("
                        + answer.get().described() + ") returned null instead of InboundReply.none()");
            }
            return Optional.of(event -> reply);
        });
    }

    // ---- time-outs

    /**
     * Fires the due time-outs, up to 100, each in a transaction of its own: claims the question
     * (skipping those another instance holds), closes it as timed out and runs its time-out action.
     * A failing action is logged, rolled back and tried again later (after 30 s, doubling), at most
     * {@value #MAX_TIMEOUT_TRIES} times; then the question is closed as failed.
     *
     * @return how many time-outs were claimed
     * @throws OutboxException when the database cannot be reached
     */
    public int fireDueTimeouts() {
        int fired = 0;
        while (fired < FIRE_BATCH && fireOne()) {
            fired++;
        }
        return fired;
    }

    private boolean fireOne() {
        Instant now = clock.instant();
        ConversationStore.QuestionRow[] claimed = new ConversationStore.QuestionRow[1];
        try {
            return store.inTransaction(c -> {
                Optional<ConversationStore.QuestionRow> due = store.claimDue(c, now);
                if (due.isEmpty()) {
                    return false;
                }
                claimed[0] = due.get();
                AskedQuestion asked = due.get().question();
                Question q = questions.get(asked.question());
                if (q == null) {
                    store.close(c, asked.id(), QuestionState.FAILED, null, now);
                    LOG.error("question #{} is a \"{}\", which is not registered on this instance; closed as failed"
                            + " without a time-out action. Register every question on every instance.", asked.id(),
                            asked.question());
                    return true;
                }
                store.close(c, asked.id(), QuestionState.TIMED_OUT, null, now);
                AskedQuestion closed = new AskedQuestion(asked.id(), asked.conversation(), asked.question(),
                        asked.data(), QuestionState.TIMED_OUT, asked.askedAt(), asked.timeoutAt());
                q.onTimeout().timedOut(new QuestionEvent(this, c, closed, null, "", now));
                LOG.debug("question #{} ({}) timed out", asked.id(), asked.question());
                return true;
            });
        } catch (RuntimeException e) {
            if (claimed[0] == null) {
                throw e;
            }
            return retryLater(claimed[0], now, e);
        }
    }

    /** After a failed time-out action: tried again later, or closed as failed after the last try. */
    private boolean retryLater(ConversationStore.QuestionRow row, Instant now, RuntimeException e) {
        Throwable cause = e instanceof ActionFailedException && e.getCause() != null ? e.getCause() : e;
        AskedQuestion asked = row.question();
        int failures = row.failures() + 1;
        StackTraceElement[] trace = cause.getStackTrace();
        String where = trace.length == 0 ? "an unknown place" : trace[0].toString();
        try {
            if (failures >= MAX_TIMEOUT_TRIES) {
                store.inTransaction(c -> store.close(c, asked.id(), QuestionState.FAILED, null, now));
                LOG.error("the time-out action of question #{} ({}) threw {} at {}, try {} of {}; closed as failed",
                        asked.id(), asked.question(), cause.getClass().getName(), where, failures, MAX_TIMEOUT_TRIES);
            } else {
                Instant next = now.plus(FIRST_RETRY.multipliedBy(1L << (failures - 1)));
                store.inTransaction(c -> {
                    store.postpone(c, asked.id(), next, failures);
                    return null;
                });
                LOG.warn("the time-out action of question #{} ({}) threw {} at {}, try {} of {}; nothing of it was"
                        + " kept, tried again at {}", asked.id(), asked.question(), cause.getClass().getName(), where,
                        failures, MAX_TIMEOUT_TRIES, next);
            }
            return true;
        } catch (RuntimeException again) {
            LOG.warn("question #{}: the failed time-out could not be rescheduled ({}); it is claimed again later",
                    asked.id(), again.getClass().getName());
            return false;
        }
    }

    /**
     * Starts a {@link ConversationWorker} that fires due time-outs every {@code pollInterval}.
     *
     * @throws IllegalArgumentException when {@code pollInterval} is not positive
     */
    public ConversationWorker startWorker(Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval
                    + "; e.g. Duration.ofSeconds(1)");
        }
        return new ConversationWorker(this, pollInterval);
    }

    // ---- state

    /** The conversation's state; each call is a transaction of its own. */
    public ConversationState state(Conversation conversation) {
        Objects.requireNonNull(conversation, "conversation");
        return new State(conversation, null);
    }

    ConversationState state(Connection c, Conversation conversation) {
        return new State(conversation, c);
    }

    /** State on a connection given (an action's transaction), or a transaction per call. */
    private final class State implements ConversationState {
        private final Conversation conversation;
        private final Connection connection;

        State(Conversation conversation, Connection connection) {
            this.conversation = conversation;
            this.connection = connection;
        }

        private <T> T run(ConversationStore.Unit<T> unit) {
            if (connection == null) {
                return store.inTransaction(unit);
            }
            try {
                return unit.run(connection);
            } catch (SQLException e) {
                throw failed(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ActionFailedException(e);
            }
        }

        @Override
        public <T> Optional<T> get(StateKey<T> key) {
            Objects.requireNonNull(key, "key");
            Instant now = clock.instant();
            return run(c -> store.value(c, conversation, key.name(), now)).map(key::read);
        }

        @Override
        public <T> void put(StateKey<T> key, T value, Duration lifetime) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.isZero() || lifetime.isNegative()) {
                throw new IllegalArgumentException("lifetime of state key \"" + key.name() + "\" must be positive, was "
                        + lifetime + "; e.g. Duration.ofDays(7)");
            }
            String text = key.write(value);
            Instant now = clock.instant();
            run(c -> {
                store.putValue(c, conversation, key.name(), text, now.plus(lifetime), now);
                return null;
            });
        }

        @Override
        public boolean remove(StateKey<?> key) {
            Objects.requireNonNull(key, "key");
            return run(c -> store.removeValue(c, conversation, key.name()));
        }

        @Override
        public String toString() {
            return "ConversationState[" + conversation + "]";
        }
    }

    // ---- WhatsApp windows and retention

    /**
     * WhatsApp's 24-hour windows in this database, shared by every instance: give them to the
     * router ({@link InboundRouter.Builder#sessionWindows}) and the account
     * ({@code TwilioAccount.Builder.sessionWindows}).
     */
    public SessionWindows sessionWindows() {
        return windows;
    }

    /**
     * Deletes expired state, questions closed, message SIDs recorded and WhatsApp windows not
     * changed for longer than {@code age}; returns how many rows.
     */
    public int purgeOlderThan(Duration age) {
        Objects.requireNonNull(age, "age");
        Instant before = clock.instant().minus(age);
        return store.inTransaction(c -> store.purge(c, before));
    }

    private OutboxException failed(SQLException e) {
        return new OutboxException("conversation database error: " + e.getMessage(), e);
    }

    /** The registered questions' names. */
    public List<String> questionNames() {
        return List.copyOf(questions.keySet());
    }

    @Override
    public String toString() {
        return "Conversations[questions=" + questions.keySet() + "]";
    }

    /** Builds {@link Conversations}: the questions it knows. {@link #build()} names every problem. */
    public static final class Builder {
        private final Outbox outbox;
        private final List<Question> questions = new ArrayList<>();

        private Builder(Outbox outbox) {
            this.outbox = outbox;
        }

        /** Registers a question; register the same questions on every instance. */
        public Builder question(Question question) {
            questions.add(Objects.requireNonNull(question, "question"));
            return this;
        }

        /**
         * Checks and builds.
         *
         * @throws IllegalStateException when two questions have one name
         */
        public Conversations build() {
            Map<String, Question> byName = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (Question q : questions) {
                if (byName.putIfAbsent(q.name(), q) != null) {
                    problems.add("question \"" + q.name() + "\" is registered twice; give each question its own name");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            return new Conversations(this, Map.copyOf(byName));
        }
    }
}
