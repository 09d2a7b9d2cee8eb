package org.twiliochannels.core.internal;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageState;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioConfig;

/**
 * What every channel shares: one {@link TwilioRestClient} on a {@link TwilioTransport}, the
 * {@link RequestRunner}, and the executor of async sends. A channel builds the SDK's
 * {@link MessageCreator} and hands it here. Not API.
 */
public final class MessagingClient implements AutoCloseable {
    /** Async sends waiting for a thread beyond this many fail at once instead of piling up. */
    static final int ASYNC_QUEUE_CAPACITY = 10_000;

    private final String channel;
    private final TwilioConfig config;
    private final TwilioTransport transport;
    private final TwilioRestClient rest;
    private final RequestRunner runner;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Opens the HTTP client of channel {@code channel}. */
    public MessagingClient(String channel, TwilioConfig config) {
        this.channel = channel;
        this.config = config;
        this.transport = new TwilioTransport(config);
        this.rest = new TwilioRestClient.Builder(config.credentials().username(), config.credentials().revealPassword())
                .accountSid(config.credentials().accountSid().value())
                .httpClient(transport)
                .build();
        this.runner = new RequestRunner(config.retryPolicy(), config.sendDeadline());
        this.ownsExecutor = config.asyncExecutor().isEmpty();
        this.executor = config.asyncExecutor().orElseGet(() -> newExecutor(channel, config.maxConcurrentRequests()));
    }

    /** How many 429 answers the channel has received, retried ones included. */
    public long rateLimitedResponses() {
        return runner.rateLimitedResponses();
    }

    /** The configuration the channel was opened with. */
    public TwilioConfig config() {
        return config;
    }

    /** The SDK client, for requests other than sends (account checks, look-ups). */
    public TwilioRestClient rest() {
        return rest;
    }

    /** A message checked and ready for the SDK: the recipient as sent and the SDK's creator. */
    public record Prepared(Address to, MessageCreator creator) {}

    /** Checks and sends: {@code prepare} throws {@code InvalidMessageException} before any request. */
    public Receipt send(Supplier<Prepared> prepare) {
        Prepared p = prepare.get();
        return create(p.to(), p.creator());
    }

    /** As {@link #send(Supplier)} on the executor; a failed check gives an already failed future. */
    public CompletableFuture<Receipt> sendAsync(Supplier<Prepared> prepare) {
        Prepared p;
        try {
            p = prepare.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return async(() -> create(p.to(), p.creator()));
    }

    /** Creates the message, retrying as the policy allows, and returns Twilio's receipt. */
    public Receipt create(Address to, MessageCreator creator) {
        ensureOpen();
        Message m = runner.run(channel, to::masked, false, () -> creator.create(rest),
                r -> r.getSid() + " status " + r.getStatus());
        return new Receipt(channel, MessageSid.of(m.getSid()), MessageStatus.fromTwilio(String.valueOf(m.getStatus())),
                to, segments(m.getNumSegments()));
    }

    /** Runs a read-only request (retried on 5xx and lost answers too). */
    public <T> T read(String subject, Supplier<T> call, java.util.function.Function<T, String> describe) {
        ensureOpen();
        return runner.run(channel, () -> subject, true, call, describe);
    }

    /** Fetches a message's current state. */
    public MessageState fetch(MessageSid sid) {
        return state(sid, read(sid.value(), () -> Message.fetcher(sid.value()).fetch(rest), r -> "status " + r.getStatus()));
    }

    /** Cancels a scheduled message; repeating a cancellation is harmless, so it is retried like a read. */
    public MessageState cancel(MessageSid sid) {
        return state(sid, read(sid.value(), () -> Message.updater(sid.value())
                .setStatus(Message.UpdateStatus.CANCELED).update(rest), r -> "status " + r.getStatus()));
    }

    private static MessageState state(MessageSid sid, Message m) {
        return new MessageState(sid, MessageStatus.fromTwilio(String.valueOf(m.getStatus())),
                m.getErrorCode() == null ? OptionalInt.empty() : OptionalInt.of(m.getErrorCode()),
                Optional.ofNullable(m.getErrorMessage()).filter(s -> !s.isBlank()));
    }

    /**
     * Runs {@code send} on the channel's executor. Every failure, a full queue included, ends as
     * a failed future; nothing is thrown from here.
     */
    public CompletableFuture<Receipt> async(Supplier<Receipt> send) {
        CompletableFuture<Receipt> result = new CompletableFuture<>();
        try {
            ensureOpen();
            executor.execute(() -> {
                try {
                    result.complete(send.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new TwilioChannelsException("The " + channel + " channel cannot take more"
                    + " async sends now (its executor refused the task); the message was not sent. Send more slowly,"
                    + " or raise maxConcurrentRequests.", e));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The " + channel + " channel is closed; open a new one.");
        }
    }

    /** Waits for async sends in progress (up to the send deadline), then closes connections. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ownsExecutor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(config.sendDeadline().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        transport.close();
    }

    private static OptionalInt segments(String numSegments) {
        try {
            return numSegments == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(numSegments.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static ExecutorService newExecutor(String channel, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "twilio-channels-" + channel + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(ASYNC_QUEUE_CAPACITY), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
