package org.twiliochannels.core.internal.send;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.SendOptions;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.Settlement;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.event.AnswerReceived;
import org.twiliochannels.core.event.AttemptStarted;
import org.twiliochannels.core.event.Outcome;
import org.twiliochannels.core.event.RetryReason;
import org.twiliochannels.core.event.RetryScheduled;
import org.twiliochannels.core.event.RefusalReason;
import org.twiliochannels.core.event.SendFinished;
import org.twiliochannels.core.event.SendRefused;
import org.twiliochannels.core.event.SendStarted;
import org.twiliochannels.core.event.SettleLookup;
import org.twiliochannels.core.event.Throttled;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.Sender;
import org.twiliochannels.core.internal.Timing;
import org.twiliochannels.core.whatsapp.SessionWindows;
import org.twiliochannels.core.OutsideSessionWindowException;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.internal.twilio.Created;
import org.twiliochannels.core.internal.twilio.Outgoing;
import org.twiliochannels.core.internal.twilio.TwilioApi;

/**
 * The one implementation of sending behind every channel of one account: the account's
 * {@link TwilioApi} (the SDK and the transport), the {@link RequestRunner}, the settle step, the
 * async executor, the listeners and the bookkeeping that lets {@link #close()} give every
 * send an outcome. Channels supply a {@link ChannelPolicy}. Not API.
 */
public final class AccountEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");
    /** Async sends waiting for a thread beyond this many fail at once instead of piling up. */
    static final int ASYNC_QUEUE_CAPACITY = 10_000;
    /** How long {@link #close()} waits beyond the send deadline for sends in flight. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final TwilioConfig config;
    private final TwilioApi api;
    private final RequestRunner runner;
    private final LogSettler settler;
    private final ContentCalls content;
    private final Timing timing;
    private final SessionWindows windows;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final List<TwilioEventListener> listeners;
    private final SendChecks checks;
    private final AtomicLong sendIds;
    private final Object lock = new Object();
    private final List<AsyncSend> pending = new ArrayList<>();
    private final java.util.Set<AsyncSend> running = new java.util.HashSet<>();
    private int inFlight;
    private boolean closed;

    /** An engine on the system clocks, with no consent ledger and no quiet hours. */
    public AccountEngine(TwilioConfig config, List<TwilioEventListener> listeners) {
        this(config, listeners, Timing.SYSTEM);
    }

    /** An engine with its own clocks and sleep (tests). */
    public AccountEngine(TwilioConfig config, List<TwilioEventListener> listeners, Timing timing) {
        this(config, listeners, timing, SendChecks.none(config.credentials().accountSid()), SessionWindows.none(),
                new TwilioApi(config), null, new AtomicLong());
    }

    /**
     * An engine on the system clocks with the checks every send makes before any request, and the
     * WhatsApp windows it asks before sending.
     */
    public AccountEngine(TwilioConfig config, List<TwilioEventListener> listeners, SendChecks checks,
                         SessionWindows windows) {
        this(config, listeners, Timing.SYSTEM, checks, windows, new TwilioApi(config), null, new AtomicLong());
    }

    /**
     * An engine on parts shared with other accounts: {@code api} on a shared transport, and
     * {@code sharedExecutor} for async sends (the config's own {@code asyncExecutor} wins when
     * set). The engine never shuts a shared executor down. Send ids come from {@code sharedSendIds},
     * so that they are unique among the accounts that share it (listeners shared by the accounts key
     * their per-send state by send id).
     */
    public AccountEngine(TwilioConfig config, List<TwilioEventListener> listeners, SendChecks checks,
                         SessionWindows windows, TwilioApi api, ExecutorService sharedExecutor,
                         AtomicLong sharedSendIds) {
        this(config, listeners, Timing.SYSTEM, checks, windows, api,
                java.util.Objects.requireNonNull(sharedExecutor, "sharedExecutor"),
                java.util.Objects.requireNonNull(sharedSendIds, "sharedSendIds"));
    }

    private AccountEngine(TwilioConfig config, List<TwilioEventListener> listeners, Timing timing, SendChecks checks,
                          SessionWindows windows, TwilioApi api, ExecutorService sharedExecutor, AtomicLong sendIds) {
        this.checks = java.util.Objects.requireNonNull(checks, "checks");
        this.windows = java.util.Objects.requireNonNull(windows, "windows");
        this.config = config;
        this.sendIds = sendIds;
        this.timing = timing;
        this.api = api;
        this.runner = new RequestRunner(config.retryPolicy(), config.sendDeadline(), timing);
        this.settler = new LogSettler(api, runner, config.retryPolicy().settleClockSkew());
        this.content = new ContentCalls(api, runner, this::ensureOpen);
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        this.ownsExecutor = config.asyncExecutor().isEmpty() && sharedExecutor == null;
        this.executor = config.asyncExecutor().orElseGet(() -> sharedExecutor != null ? sharedExecutor
                : newExecutor(config.maxConcurrentRequests()));
    }

    /** The configuration. */
    public TwilioConfig config() {
        return config;
    }

    /** The checks every send makes before any request. */
    public SendChecks checks() {
        return checks;
    }

    /**
     * Runs the checks of a send (the policy's, consent, quiet hours) with no request and no send:
     * a refusal emits {@code sendRefused} with send id 0 and is thrown.
     */
    public void check(String channel, ChannelPolicy policy, org.twiliochannels.core.Message message,
                      SendOptions options) {
        java.util.Objects.requireNonNull(message, "message");
        java.util.Objects.requireNonNull(options, "options");
        Address to = policy.recipient(message);
        refuseOrPass(0, channel, to, policy.sender(message), message, options);
    }

    private void refuseOrPass(long sendId, String channel, Address to, Sender sender,
                              org.twiliochannels.core.Message message, SendOptions options) {
        try {
            checks.check(channel, to, sender, message, options);
        } catch (org.twiliochannels.core.consent.RecipientOptedOutException e) {
            emit(l -> l.sendRefused(new SendRefused(sendId, channel, RefusalReason.OPTED_OUT)));
            throw e;
        } catch (org.twiliochannels.core.schedule.QuietHoursException e) {
            emit(l -> l.sendRefused(new SendRefused(sendId, channel, RefusalReason.QUIET_HOURS)));
            throw e;
        }
    }

    /** Adds a listener until the handle is closed. */
    public AutoCloseable subscribe(TwilioEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A message checked and ready to send. */
    private record Prepared(org.twiliochannels.core.Message message, Address to, Sender sender,
                            Outgoing outgoing) {}

    private Prepared prepare(ChannelPolicy policy, org.twiliochannels.core.Message message) {
        java.util.Objects.requireNonNull(message, "message");
        Address to = policy.recipient(message);
        Sender sender = policy.sender(message);
        if (sender.address().filter(to::equals).isPresent()) {
            throw new org.twiliochannels.core.InvalidMessageException("to", "\"" + to.value() + "\" is the sender's own"
                    + " address; Twilio cannot send a message from an address to itself: send to another recipient.");
        }
        return new Prepared(message, to, sender, Outgoing.of(sender, to, message, config.statusCallback(),
                java.time.Clock.systemUTC()));
    }

    /**
     * Checks {@code message} against the policy (throwing {@code InvalidMessageException} before
     * any request), then sends it: retried, settled, replaced once when the policy says so.
     */
    public Receipt send(String channel, ChannelPolicy policy, org.twiliochannels.core.Message message,
                        SendOptions options) {
        Prepared prepared = prepare(policy, message);
        enter(channel);
        try {
            return deliver(channel, policy, prepared, options);
        } finally {
            exit();
        }
    }

    /**
     * As {@link #send} on the executor. Every failure ends as a failed future, nothing is thrown;
     * a message that fails a check gives an already failed future.
     */
    public CompletableFuture<Receipt> sendAsync(String channel, ChannelPolicy policy,
                                                org.twiliochannels.core.Message message) {
        return sendAsync(channel, policy, message, SendOptions.defaults());
    }

    /** As {@link #sendAsync(String, ChannelPolicy, org.twiliochannels.core.Message)} with per-send options. */
    public CompletableFuture<Receipt> sendAsync(String channel, ChannelPolicy policy,
                                                org.twiliochannels.core.Message message, SendOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        Prepared prepared;
        try {
            prepared = prepare(policy, message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        AsyncSend task = new AsyncSend(channel, policy, prepared, options);
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException(channel));
            }
            try {
                refuseIfSharedClosed("the account behind the " + channel + " channel");
            } catch (TwilioChannelsException e) {
                return CompletableFuture.failedFuture(e);
            }
            pending.add(task);
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                pending.remove(task);
            }
            task.result.completeExceptionally(new TwilioChannelsException("The " + channel + " channel cannot take"
                    + " more async sends now (its executor refused the task); the message was not sent. Send more"
                    + " slowly, or raise maxConcurrentRequests.", e));
        }
        return task.result;
    }

    /** An async send: runs once, or is ended as not sent by {@link #close()} if it never started. */
    private final class AsyncSend implements Runnable {
        final String channel;
        final ChannelPolicy policy;
        final Prepared prepared;
        final SendOptions options;
        final CompletableFuture<Receipt> result = new CompletableFuture<>();

        AsyncSend(String channel, ChannelPolicy policy, Prepared prepared, SendOptions options) {
            this.channel = channel;
            this.policy = policy;
            this.prepared = prepared;
            this.options = options;
        }

        @Override
        public void run() {
            synchronized (lock) {
                pending.remove(this);
                if (closed || result.isDone()) {
                    result.completeExceptionally(closedException(channel));
                    return;
                }
                try {
                    refuseIfSharedClosed("the account behind the " + channel + " channel");
                } catch (TwilioChannelsException e) {
                    result.completeExceptionally(e);
                    return;
                }
                running.add(this);
                inFlight++;
            }
            try {
                result.complete(deliver(channel, policy, prepared, options));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                synchronized (lock) {
                    running.remove(this);
                }
                exit();
            }
        }
    }

    private void enter(String channel) {
        synchronized (lock) {
            if (closed) {
                throw closedException(channel);
            }
            refuseIfSharedClosed("the account behind the " + channel + " channel");
            inFlight++;
        }
    }

    /** Refuses to start when the infrastructure this account shares was closed under it. */
    private void refuseIfSharedClosed(String who) {
        if (api.sharedClosed()) {
            throw new org.twiliochannels.core.ClientClosedException("The TwilioInfrastructure that " + who
                    + " shares is closed; nothing was sent. Close accounts before their infrastructure, or open the"
                    + " account on an open one.");
        }
    }

    private void exit() {
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    private static TwilioChannelsException closedException(String channel) {
        return new org.twiliochannels.core.ClientClosedException("The Twilio account client behind the " + channel + " channel is closed;"
                + " the message was not sent. Send before closing, or open a new client.");
    }

    private Receipt deliver(String channel, ChannelPolicy policy, Prepared prepared, SendOptions options) {
        long sendId = sendIds.incrementAndGet();
        long t0 = timing.nanoTime();
        Instant began = timing.now();
        emit(l -> l.sendStarted(new SendStarted(sendId, channel, prepared.to().masked(), timing.now())));
        SendObserver observer = new SendObserver(sendId, channel);
        Prepared current = prepared;
        try {
            refuseOrPass(sendId, channel, prepared.to(), prepared.sender(), prepared.message(), options);
            Optional<org.twiliochannels.core.Message> before = policy.replacementBefore(prepared.message(),
                    prepared.to(), prepared.sender(), windows);
            if (before.isPresent()) {
                LOG.debug("{} to {}: the channel sends a replacement before any request (the WhatsApp window is"
                        + " closed)", channel, prepared.to().masked());
                current = prepare(policy, before.get());
            }
            Receipt receipt;
            try {
                receipt = attempt(channel, current, observer, options);
            } catch (TwilioRejectedException e) {
                learn(current, e);
                Optional<org.twiliochannels.core.Message> replacement = policy.replacementAfter(current.message(), e);
                if (replacement.isEmpty()) {
                    throw e;
                }
                LOG.debug("{} to {}: rejected ({}), sending the replacement the channel asks for", channel,
                        prepared.to().masked(), e.error().code().orElse(0));
                current = prepare(policy, replacement.get());
                began = timing.now();
                receipt = attempt(channel, current, observer, options);
            }
            Receipt accepted = receipt;
            emit(l -> l.sendFinished(new SendFinished(sendId, channel, Outcome.ACCEPTED, Optional.of(accepted.sid()),
                    OptionalInt.empty(), observer.attempts.get(), accepted.settled(), elapsed(t0))));
            return receipt;
        } catch (DeliveryUnknownException e) {
            DeliveryUnknownException withQuery = e.withSettleQuery(SettleQuery.of(current.message(), current.to(),
                    current.sender().address(), began, timing.now()));
            finished(sendId, channel, observer, t0, withQuery);
            throw withQuery;
        } catch (TwilioChannelsException e) {
            if (e instanceof TwilioRejectedException r) {
                checks.rejected(channel, current.to(), current.sender(), r);
            }
            finished(sendId, channel, observer, t0, e);
            throw e;
        } catch (RuntimeException e) {
            // Not one of ours (a bug, or the SDK refusing something): report it as not sent, in our type.
            TwilioChannelsException wrapped = new TwilioChannelsException("The " + channel + " send failed before"
                    + " any answer (" + e.getClass().getSimpleName() + "); the message was not sent.", e);
            finished(sendId, channel, observer, t0, wrapped);
            throw wrapped;
        }
    }

    /** Records WhatsApp's refusal of a free-form message as outside the window, so that the next send knows. */
    private void learn(Prepared p, TwilioRejectedException e) {
        if (e instanceof OutsideSessionWindowException && p.to() instanceof WhatsAppAddress person
                && p.sender().address().orElse(null) instanceof WhatsAppAddress sender) {
            try {
                windows.refused(person, sender);
            } catch (RuntimeException failure) {
                LOG.warn("the WhatsApp windows could not record a refusal to {} ({})", person.masked(),
                        failure.getClass().getName());
            }
        }
    }

    private void finished(long sendId, String channel, SendObserver observer, long t0, TwilioChannelsException e) {
        OptionalInt code = OptionalInt.empty();
        if (e instanceof TwilioRejectedException r) {
            code = r.error().code();
        } else if (e instanceof DeliveryUnknownException d && d.error().isPresent()) {
            code = d.error().get().code();
        }
        OptionalInt errorCode = code;
        emit(l -> l.sendFinished(new SendFinished(sendId, channel, e.mayHaveBeenSent() ? Outcome.UNKNOWN : Outcome.REJECTED,
                Optional.empty(), errorCode, observer.attempts.get(), observer.settled, elapsed(t0))));
    }

    private Duration elapsed(long t0) {
        return Duration.ofNanos(Math.max(0, timing.nanoTime() - t0));
    }

    private Receipt attempt(String channel, Prepared p, SendObserver observer, SendOptions options) {
        RequestRunner.Settler<Created> settle = (notBefore, notAfter, end) -> {
            SettleQuery query = SettleQuery.of(p.message(), p.to(), p.sender().address(), notBefore, notAfter);
            LogSettler.Search search = settler.search(channel, query, end);
            observer.settled = true;
            return toSettled(observer.sendId, channel, search);
        };
        RequestRunner.Result<Created> result = runner.run(channel, p.to()::masked, false,
                end -> api.create(p.outgoing(), end), c -> c.sid() + " status " + c.status().twilioName(), observer,
                options.settlesFromLog() ? settle : null);
        Created c = result.value();
        return new Receipt(channel, c.sid(), c.status(), p.to(), c.segments(), observer.attempts.get(),
                result.settled());
    }

    /** The send path's view of a search: the same verdict as {@link #settle}, with the receipt's fields when found. */
    private RequestRunner.Settled<Created> toSettled(long sendId, String channel, LogSettler.Search search) {
        Settlement result = toSettlement(search);
        emitLookup(sendId, channel, result, search.pages());
        if (result instanceof Settlement.Found) {
            return new RequestRunner.Settled.Found<>(search.matches().get(0).created());
        }
        if (result instanceof Settlement.Unknown u) {
            return new RequestRunner.Settled.Unknown<>(u.reason(), u.candidates());
        }
        return new RequestRunner.Settled.Absent<>();
    }

    /** Settles a user's query: found, absent or unknown. Never throws for an unreadable log. */
    public Settlement settle(SettleQuery query) {
        LogSettler.Search search = settler.search("settle", query, Timing.after(timing.nanoTime(), config.sendDeadline()));
        Settlement result = toSettlement(search);
        emitLookup(0, "settle", result, search.pages());
        return result;
    }

    /**
     * Settles many queries with one listing of the log per recipient and sender: the listing
     * covers the union of their windows, and each query is matched against it.
     */
    public java.util.Map<SettleQuery, Settlement> settleAll(java.util.Collection<SettleQuery> queries) {
        java.util.Map<SettleQuery, Settlement> out = new java.util.LinkedHashMap<>();
        java.util.Map<List<Object>, List<SettleQuery>> groups = new java.util.LinkedHashMap<>();
        for (SettleQuery q : queries) {
            groups.computeIfAbsent(List.of(q.to().value(), q.from().map(Address::value).orElse("")),
                    k -> new ArrayList<>()).add(q);
        }
        for (List<SettleQuery> group : groups.values()) {
            Instant from = group.stream().map(SettleQuery::notBefore).min(Instant::compareTo).orElseThrow();
            Instant to = group.stream().map(SettleQuery::notAfter).max(Instant::compareTo).orElseThrow();
            SettleQuery first = group.get(0);
            LogSettler.Listing listing = settler.list("settle", first.to(), first.from(), from, to,
                    Timing.after(timing.nanoTime(), config.sendDeadline()));
            for (SettleQuery q : group) {
                Settlement result = toSettlement(listing.search(q));
                emitLookup(0, "settle", result, listing.pages());
                out.put(q, result);
            }
        }
        return out;
    }

    private Settlement toSettlement(LogSettler.Search search) {
        if (search.failure().isPresent()) {
            return new Settlement.Unknown(search.failure().get(), search.sids());
        }
        if (search.matches().size() == 1) {
            return new Settlement.Found(search.state());
        }
        if (search.matches().isEmpty()) {
            return new Settlement.Absent();
        }
        return new Settlement.Unknown(search.matches().size() + " messages in Twilio's log match what was sent",
                search.sids());
    }

    private void emitLookup(long sendId, String channel, Settlement result, int pages) {
        SettleLookup.SettleResult kind = result instanceof Settlement.Found ? SettleLookup.SettleResult.FOUND
                : result instanceof Settlement.Absent ? SettleLookup.SettleResult.ABSENT : SettleLookup.SettleResult.UNKNOWN;
        Optional<MessageSid> sid = result instanceof Settlement.Found f ? Optional.of(f.state().sid()) : Optional.empty();
        emit(l -> l.settleLookup(new SettleLookup(sendId, channel, kind, sid, pages)));
    }

    /** Turns runner callbacks into listener events for one send. */
    private final class SendObserver implements RequestRunner.Observer {
        final long sendId;
        final String channel;
        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean settled;

        SendObserver(long sendId, String channel) {
            this.sendId = sendId;
            this.channel = channel;
        }

        @Override
        public void attemptStarted(int attempt) {
            int n = attempts.incrementAndGet();
            emit(l -> l.attemptStarted(new AttemptStarted(sendId, channel, n)));
        }

        @Override
        public void answerReceived(int attempt, int httpStatus, OptionalInt code, Duration took) {
            if (httpStatus > 0) {
                int n = attempts.get();
                emit(l -> l.answerReceived(new AnswerReceived(sendId, channel, n, httpStatus, code, took)));
            }
        }

        @Override
        public void throttled(int attempt, Duration retryAfter) {
            int n = attempts.get();
            emit(l -> l.throttled(new Throttled(sendId, channel, n, Optional.ofNullable(retryAfter))));
        }

        @Override
        public void retryScheduled(int attempt, RetryReason reason, Duration delay) {
            int n = attempts.get();
            emit(l -> l.retryScheduled(new RetryScheduled(sendId, channel, n, reason, delay)));
        }
    }

    private void emit(Consumer<TwilioEventListener> event) {
        for (TwilioEventListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} threw {}; ignored", l.getClass().getName(), e.getClass().getName());
            }
        }
    }

    /** Fetches a message's current state. */
    public MessageState fetch(MessageSid sid) {
        ensureOpen();
        return runner.read("fetch", sid::value, end -> api.fetch(sid, end), s -> "status " + s.status().twilioName());
    }

    /** Cancels a scheduled message; repeating a cancellation is harmless, so it is retried like a read. */
    public MessageState cancel(MessageSid sid) {
        ensureOpen();
        return runner.read("cancel", sid::value, end -> api.cancel(sid, end), s -> "status " + s.status().twilioName());
    }

    /** The account the credentials belong to (a read: retried on 5xx and lost answers too). */
    public TwilioApi.Account account() {
        ensureOpen();
        String sid = config.credentials().accountSid().value();
        return runner.read("account", () -> sid, api::account, a -> "status " + a.status());
    }

    /** The account's phone numbers equal to {@code number}: none, or the one it owns (a read). */
    public List<TwilioApi.OwnedNumber> numbers(PhoneNumber number) {
        ensureOpen();
        return runner.read("account", number::masked, end -> api.numbers(number, end), l -> l.size() + " match(es)");
    }

    /** The account's Content API, on this engine's transport, runner and deadline. */
    public org.twiliochannels.core.content.ContentApi content() {
        return content;
    }

    private void ensureOpen() {
        synchronized (lock) {
            if (closed) {
                throw new org.twiliochannels.core.ClientClosedException("The Twilio account client is closed; open a new one.");
            }
            refuseIfSharedClosed("this account");
        }
    }

    /**
     * Stops taking sends; async sends that have not started end as not sent; waits for sends in
     * flight at most the send deadline plus {@link #CLOSE_GRACE}; async sends still running then end
     * as "may have been sent"; closes connections. Idempotent.
     */
    @Override
    public void close() {
        List<AsyncSend> notStarted;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            notStarted = new ArrayList<>(pending);
            pending.clear();
        }
        for (AsyncSend task : notStarted) {
            task.result.completeExceptionally(closedException(task.channel));
        }
        if (ownsExecutor) {
            executor.shutdown();
        }
        long closing = timing.nanoTime();
        long waitUntil = Timing.after(Timing.after(closing, config.sendDeadline()), CLOSE_GRACE);
        int left;
        List<AsyncSend> stillRunning;
        synchronized (lock) {
            while (inFlight > 0) {
                long ms = TimeUnit.NANOSECONDS.toMillis(waitUntil - timing.nanoTime());
                if (ms <= 0) {
                    break;
                }
                try {
                    lock.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            left = inFlight;
            stillRunning = new ArrayList<>(running);
        }
        if (left > 0) {
            LOG.warn("closing with {} send(s) still in flight after {}; their outcome is unknown", left,
                    Timing.describe(Timing.left(closing, waitUntil)));
        }
        for (AsyncSend task : stillRunning) {
            task.result.completeExceptionally(new DeliveryUnknownException("the client was closed while this "
                    + task.channel + " send was still in flight", null, null));
        }
        if (ownsExecutor) {
            try {
                // the tasks left are not-started sends already ended above: they finish at once
                if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        api.close();
    }

    /**
     * A pool of at most {@code threads} daemon send threads that end when idle for 30 s, with a
     * queue of {@link #ASYNC_QUEUE_CAPACITY} sends.
     */
    public static ExecutorService newExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "twilio-channels-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(ASYNC_QUEUE_CAPACITY), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
