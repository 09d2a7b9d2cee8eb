package org.twiliochannels.core.bulk;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.SegmentCount;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.TwilioUnreachableException;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.core.schedule.QuietHoursException;
import org.twiliochannels.core.ClientClosedException;
import org.twiliochannels.core.DeliveryUnknownException;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.SendOptions;
import org.twiliochannels.core.SettleQuery;
import org.twiliochannels.core.Settlement;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.event.Throttled;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.internal.Timing;
import org.twiliochannels.core.pacing.AdaptiveConcurrency;
import org.twiliochannels.core.pacing.Pace;
import org.twiliochannels.core.pacing.Pacer;
import org.twiliochannels.core.pacing.PacingSettings;
import org.twiliochannels.core.pacing.RateBuckets;

/**
 * Sends one message per item of a stream or iterator, at Twilio's limits:
 * <ul>
 *   <li>items are read only as they are sent, so a million recipients never sit in memory;</li>
 *   <li>at most {@link Builder#concurrency(int)} requests are in flight, halved whenever Twilio
 *       answers 429 and grown back one at a time;</li>
 *   <li>messages are paced at the sender's rate in segments per second ({@link SenderRate}) and
 *       never faster than the account cap;</li>
 *   <li>every item ends with exactly one {@link BulkOutcome}, handed to the callback one at a time;</li>
 *   <li>each message is checked before it is paced ({@link Channel#check}): a recipient the
 *       account's consent ledger has as opted out ends {@link BulkOutcome.Kind#OPTED_OUT}, one the
 *       account's quiet hours hold ends {@link BulkOutcome.Kind#HELD}, with no request and no
 *       sending time spent on them;</li>
 *   <li>recipients an earlier run accepted (or left unknown) are skipped, so a run can be resumed;</li>
 *   <li>an error that would fail every message (a {@link TwilioErrorCode.Kind#FATAL} code: bad
 *       credentials, inactive account, sender not owned; or Twilio unreachable three times in a
 *       row) stops the run: the items left are reported as not attempted;</li>
 *   <li>sends whose answer was lost are settled at the end of the run from Twilio's message log,
 *       with one listing per recipient for all of its items ({@link TwilioAccount#settleAll}):
 *       found, the item is accepted ({@link Receipt#settled()}); absent, it is sent again (unless
 *       the run stopped); otherwise it stays unknown. The account's
 *       {@link org.twiliochannels.core.RetryPolicy#settleFromLog()} off turns this off.</li>
 * </ul>
 * A sender is used for one run at a time; {@link #send} blocks until the run ends.
 */
public final class BulkSender {
    /**
     * How far ahead of its pace a run may catch up after a pause (a slow answer): 20 ms at the
     * rate, at least one segment. A run has its own buckets, so this is all the burst it gets.
     */
    static final Duration BURST = Duration.ofMillis(20);

    private final Channel channel;
    private final SenderRate rate;
    private final PacingSettings pacing;
    private final int concurrency;
    private final Set<String> alreadyDone;
    private final Set<Integer> stopCodes;
    private final Consumer<BulkProgress> progress;
    private final Duration progressInterval;

    private BulkSender(Builder b) {
        this.channel = b.channel;
        this.rate = b.rate;
        this.pacing = b.pacing.burst(BURST).build();
        this.concurrency = b.concurrency;
        this.alreadyDone = Set.copyOf(b.alreadyDone);
        this.stopCodes = Set.copyOf(b.stopCodes);
        this.progress = b.progress;
        this.progressInterval = b.progressInterval;
    }

    /** A sender for {@code channel}, paced at {@code rate} (see {@link SenderRate#forSender}). */
    public static Builder builder(Channel channel, SenderRate rate) {
        return new Builder(channel, rate);
    }

    /** The segments a message costs a sender: counted for SMS text, one for templates, media-only and WhatsApp. */
    public static int segments(Message m) {
        if (m.to() instanceof PhoneNumber && m.body().isPresent() && m.mediaUrls().isEmpty()) {
            return SegmentCount.of(m.body().get()).segments();
        }
        return 1;
    }

    /** Sends every message of {@code messages}. */
    public BulkSummary send(Stream<Message> messages, Consumer<? super BulkOutcome<Message>> onOutcome) {
        try (messages) {
            return send(messages.iterator(), Function.identity(), onOutcome);
        }
    }

    /**
     * Builds one message per item with {@code toMessage} (an item it cannot build, e.g. an invalid
     * number, becomes a {@link BulkOutcome.Kind#REJECTED} outcome) and sends them.
     *
     * @throws RuntimeException what {@code items} or {@code onOutcome} threw: the run stops at once, and the
     *                          items not yet read get no outcome (the resume log still tells what was done)
     */
    public <T> BulkSummary send(Iterator<T> items, Function<T, Message> toMessage, Consumer<? super BulkOutcome<T>> onOutcome) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(toMessage, "toMessage");
        Objects.requireNonNull(onOutcome, "onOutcome");
        return new Run<>(items, toMessage, onOutcome).execute();
    }

    /** The state of one run. */
    private final class Run<T> {
        private final Iterator<T> items;
        private final Function<T, Message> toMessage;
        private final Consumer<? super BulkOutcome<T>> onOutcome;
        private final Pacer pacer = new Pacer(pacing, RateBuckets.local(), "bulk");
        private final AdaptiveConcurrency limit = new AdaptiveConcurrency(concurrency);
        private final AtomicReference<String> stopped = new AtomicReference<>();
        /** A failure of the caller's iterator or outcome callback: it ends the run and is rethrown. */
        private final AtomicReference<RuntimeException> iteratorFailure = new AtomicReference<>();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicLong unknown = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong notAttempted = new AtomicLong();
        private final AtomicLong optedOut = new AtomicLong();
        private final AtomicLong held = new AtomicLong();
        private final AtomicLong segments = new AtomicLong();
        private final AtomicLong settledFound = new AtomicLong();
        private final AtomicLong resent = new AtomicLong();
        private final AtomicLong awaitingSettle = new AtomicLong();
        /** Items whose answer was lost, settled at the end of the run. */
        private final List<Ambiguous<T>> ambiguous = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final boolean settleAtEnd = channel.account() != null
                && channel.account().config().retryPolicy().settleFromLog();
        private final AtomicInteger consecutiveUnreachable = new AtomicInteger();
        private final long start = System.nanoTime();
        private final Object outcomeLock = new Object();
        private long lastProgress = start;

        Run(Iterator<T> items, Function<T, Message> toMessage, Consumer<? super BulkOutcome<T>> onOutcome) {
            this.items = items;
            this.toMessage = toMessage;
            this.onOutcome = onOutcome;
        }

        BulkSummary execute() {
            TwilioEventListener watch = new TwilioEventListener() {
                @Override
                public void throttled(Throttled event) {
                    if (event.channel().equals(channel.id())) {
                        limit.throttled();
                    }
                }
            };
            AutoCloseable subscription = channel.account() == null ? () -> { } : channel.account().subscribe(watch);
            try {
                return workAll();
            } finally {
                try {
                    subscription.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        private BulkSummary workAll() {
            List<Thread> workers = new java.util.ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Thread t = new Thread(this::work, "twilio-channels-bulk-" + (i + 1));
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                boolean interrupted = false;
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        stopped.compareAndSet(null, "interrupted");
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (iteratorFailure.get() != null) {
                throw iteratorFailure.get();
            }
            settleAmbiguous();
            if (stopped.get() != null) {
                while (items.hasNext()) {
                    T item = items.next();
                    report(new BulkOutcome<>(item, BulkOutcome.Kind.NOT_ATTEMPTED, Optional.empty(), Optional.empty(),
                            Optional.of(new TwilioChannelsException("not attempted: the run stopped because "
                                    + stopped.get()))));
                }
            }
            BulkProgress last = snapshot();
            if (progress != null) {
                progress.accept(last);
            }
            return new BulkSummary(last, Optional.ofNullable(stopped.get()));
        }

        private void work() {
            while (true) {
                T item;
                limit.acquire();
                try {
                    synchronized (items) {
                        if (stopped.get() != null || iteratorFailure.get() != null) {
                            return;
                        }
                        try {
                            if (!items.hasNext()) {
                                return;
                            }
                            item = items.next();
                        } catch (RuntimeException e) {
                            iteratorFailure.compareAndSet(null, e);
                            stopped.compareAndSet(null, "reading the items failed: " + e);
                            return;
                        }
                    }
                    sendOne(item);
                } finally {
                    limit.release();
                }
            }
        }

        /** Sends one item and reports its outcome. */
        private void sendOne(T item) {
            Message m;
            try {
                m = toMessage.apply(item);
            } catch (InvalidMessageException e) {
                report(new BulkOutcome<>(item, BulkOutcome.Kind.REJECTED, Optional.empty(), Optional.empty(), Optional.of(e)));
                return;
            } catch (RuntimeException e) {
                report(new BulkOutcome<>(item, BulkOutcome.Kind.REJECTED, Optional.empty(), Optional.empty(),
                        Optional.of(new TwilioChannelsException("could not build a message from the item: " + e, e))));
                return;
            }
            if (alreadyDone.contains(m.to().value())) {
                report(new BulkOutcome<>(item, BulkOutcome.Kind.SKIPPED, Optional.of(m), Optional.empty(), Optional.empty()));
                return;
            }
            SendOptions options = settleAtEnd ? SendOptions.defaults().settleFromLog(false) : SendOptions.defaults();
            try {
                channel.check(m, options);         // before pacing: a refused recipient costs no sending time
            } catch (RecipientOptedOutException | QuietHoursException e) {
                reportRefused(item, m, e);
                return;
            } catch (TwilioChannelsException e) {
                report(new BulkOutcome<>(item, BulkOutcome.Kind.REJECTED, Optional.of(m), Optional.empty(), Optional.of(e)));
                return;
            } catch (RuntimeException e) {
                report(new BulkOutcome<>(item, BulkOutcome.Kind.REJECTED, Optional.of(m), Optional.empty(),
                        Optional.of(new TwilioChannelsException("not sent: checking the message failed: " + e, e))));
                return;
            }
            int cost = segments(m);
            waitForPace(cost);
            if (stopped.get() != null) {
                report(new BulkOutcome<>(item, BulkOutcome.Kind.NOT_ATTEMPTED, Optional.of(m), Optional.empty(),
                        Optional.of(new TwilioChannelsException("not attempted: the run stopped because " + stopped.get()))));
                return;
            }
            try {
                Receipt r = channel.send(m, options);
                consecutiveUnreachable.set(0);
                segments.addAndGet(r.segments().orElse(cost));
                report(new BulkOutcome<>(item, BulkOutcome.Kind.ACCEPTED, Optional.of(m), Optional.of(r), Optional.empty()));
            } catch (RecipientOptedOutException | QuietHoursException e) {
                reportRefused(item, m, e);         // consent or the clock changed since the check
            } catch (ClientClosedException e) {
                // the account client was closed: nothing can be sent any more
                stopped.compareAndSet(null, e.getMessage());
                report(new BulkOutcome<>(item, BulkOutcome.Kind.REJECTED, Optional.of(m), Optional.empty(), Optional.of(e)));
            } catch (DeliveryUnknownException e) {
                consecutiveUnreachable.set(0);
                if (settleAtEnd && e.settleQuery().isPresent()) {
                    awaitingSettle.incrementAndGet();
                    ambiguous.add(new Ambiguous<>(item, m, e));
                } else {
                    report(new BulkOutcome<>(item, BulkOutcome.Kind.UNKNOWN, Optional.of(m), Optional.empty(), Optional.of(e)));
                }
            } catch (TwilioChannelsException e) {
                stopIfFatal(e);
                report(new BulkOutcome<>(item, e.mayHaveBeenSent() ? BulkOutcome.Kind.UNKNOWN : BulkOutcome.Kind.REJECTED,
                        Optional.of(m), Optional.empty(), Optional.of(e)));
            } catch (RuntimeException e) {
                // an unexpected failure inside the channel: the request may have gone out
                report(new BulkOutcome<>(item, BulkOutcome.Kind.UNKNOWN, Optional.of(m), Optional.empty(),
                        Optional.of(new org.twiliochannels.core.DeliveryUnknownException("unexpected failure: " + e, null, e))));
            }
        }

        private void reportRefused(T item, Message m, TwilioChannelsException e) {
            BulkOutcome.Kind kind = e instanceof RecipientOptedOutException ? BulkOutcome.Kind.OPTED_OUT : BulkOutcome.Kind.HELD;
            report(new BulkOutcome<>(item, kind, Optional.of(m), Optional.empty(), Optional.of(e)));
        }

        /**
         * Settles the items whose answer was lost: one listing of the log per recipient, after the
         * account's settle delay has passed since the last of them; absent items are sent again.
         */
        private void settleAmbiguous() {
            if (ambiguous.isEmpty()) {
                return;
            }
            TwilioAccount account = channel.account();
            List<Ambiguous<T>> items = List.copyOf(ambiguous);
            java.time.Instant last = items.stream().map(a -> a.query().notAfter()).max(java.time.Instant::compareTo)
                    .orElseThrow();
            // As durations, not instants: no settle delay can overflow, and a clock set back waits the whole delay.
            Duration delay = account.config().retryPolicy().settleDelay();
            Duration since = Duration.between(last, java.time.Instant.now());
            since = since.isNegative() ? Duration.ZERO : since;
            if (since.compareTo(delay) < 0) {
                LockSupport.parkNanos(Timing.nanos(delay.minus(since)));
            }
            java.util.Map<SettleQuery, Settlement> settled = account.settleAll(items.stream().map(Ambiguous::query).toList());
            for (Ambiguous<T> a : items) {
                awaitingSettle.decrementAndGet();
                Settlement s = settled.get(a.query());
                if (s instanceof Settlement.Found found) {
                    settledFound.incrementAndGet();
                    Receipt r = new Receipt(channel.id(), found.state().sid(), found.state().status(), a.query().to(),
                            java.util.OptionalInt.empty(), 1, true);
                    segments.addAndGet(segments(a.message()));
                    report(new BulkOutcome<>(a.item(), BulkOutcome.Kind.ACCEPTED, Optional.of(a.message()), Optional.of(r),
                            Optional.empty()));
                } else if (s instanceof Settlement.Absent) {
                    resend(a);
                } else {
                    Settlement.Unknown u = (Settlement.Unknown) s;
                    report(new BulkOutcome<>(a.item(), BulkOutcome.Kind.UNKNOWN, Optional.of(a.message()), Optional.empty(),
                            Optional.of(new DeliveryUnknownException(a.failure().getMessage().replace(
                                    DeliveryUnknownException.ADVICE, "") + "; Twilio's message log could not settle it ("
                                    + u.reason() + ")", a.failure().error().orElse(null), a.failure()))));
                }
            }
        }

        /** Sends again an item the log showed was never created; nothing can be duplicated. */
        private void resend(Ambiguous<T> a) {
            if (stopped.get() != null) {
                report(new BulkOutcome<>(a.item(), BulkOutcome.Kind.NOT_ATTEMPTED, Optional.of(a.message()), Optional.empty(),
                        Optional.of(new TwilioChannelsException("not sent: Twilio's message log shows it was not created,"
                                + " and it was not sent again because the run stopped: " + stopped.get()))));
                return;
            }
            int cost = segments(a.message());
            waitForPace(cost);
            resent.incrementAndGet();
            try {
                Receipt r = channel.send(a.message());
                segments.addAndGet(r.segments().orElse(cost));
                report(new BulkOutcome<>(a.item(), BulkOutcome.Kind.ACCEPTED, Optional.of(a.message()), Optional.of(r),
                        Optional.empty()));
            } catch (RecipientOptedOutException | QuietHoursException e) {
                reportRefused(a.item(), a.message(), e);
            } catch (TwilioChannelsException e) {
                report(new BulkOutcome<>(a.item(), e.mayHaveBeenSent() ? BulkOutcome.Kind.UNKNOWN : BulkOutcome.Kind.REJECTED,
                        Optional.of(a.message()), Optional.empty(), Optional.of(e)));
            }
        }

        /** Waits until a message of {@code cost} segments may go at the sender's rate and the account cap. */
        private void waitForPace(int cost) {
            long at;
            try {
                at = pacer.reserve(new Pace(channel.id(), rate.segmentsPerSecond(), cost));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped.compareAndSet(null, "interrupted");
                return;
            }
            for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }

        private void stopIfFatal(TwilioChannelsException e) {
            if (e instanceof TwilioRejectedException r && (r.error().kind() == TwilioErrorCode.Kind.FATAL
                    || (r.error().code().isPresent() && stopCodes.contains(r.error().code().getAsInt())))) {
                stopped.compareAndSet(null, r.getMessage());
            } else if (e instanceof TwilioUnreachableException) {
                if (consecutiveUnreachable.incrementAndGet() >= 3) {
                    stopped.compareAndSet(null, "Twilio could not be reached three times in a row: " + e.getMessage());
                }
            } else {
                consecutiveUnreachable.set(0);
            }
        }

        private void report(BulkOutcome<T> outcome) {
            switch (outcome.kind()) {
                case ACCEPTED -> accepted.incrementAndGet();
                case REJECTED -> rejected.incrementAndGet();
                case UNKNOWN -> unknown.incrementAndGet();
                case SKIPPED -> skipped.incrementAndGet();
                case NOT_ATTEMPTED -> notAttempted.incrementAndGet();
                case OPTED_OUT -> optedOut.incrementAndGet();
                case HELD -> held.incrementAndGet();
                default -> throw new IllegalStateException(outcome.kind().toString());
            }
            synchronized (outcomeLock) {
                try {
                    onOutcome.accept(outcome);
                } catch (RuntimeException e) {
                    iteratorFailure.compareAndSet(null, e);
                    stopped.compareAndSet(null, "the outcome callback failed: " + e);
                }
                long now = System.nanoTime();
                if (progress != null && now - lastProgress >= progressInterval.toNanos()) {
                    lastProgress = now;
                    progress.accept(snapshot());
                }
            }
        }

        private BulkProgress snapshot() {
            return new BulkProgress(accepted.get(), rejected.get(), unknown.get(), skipped.get(), notAttempted.get(),
                    limit.inFlight(), segments.get(), Duration.ofNanos(System.nanoTime() - start), limit.limit(),
                    awaitingSettle.get(), settledFound.get(), resent.get(), optedOut.get(), held.get());
        }
    }

    /** An item whose answer was lost, waiting to be settled. */
    private record Ambiguous<T>(T item, Message message, DeliveryUnknownException failure) {
        SettleQuery query() {
            return failure.settleQuery().orElseThrow();
        }
    }

    /** Builds a {@link BulkSender}. */
    public static final class Builder {
        private final Channel channel;
        private final SenderRate rate;
        private final PacingSettings.Builder pacing = PacingSettings.builder();
        private int concurrency = 16;
        private final Set<String> alreadyDone = new HashSet<>();
        private final Set<Integer> stopCodes = new HashSet<>();
        private Consumer<BulkProgress> progress;
        private Duration progressInterval = Duration.ofSeconds(1);

        private Builder(Channel channel, SenderRate rate) {
            this.channel = Objects.requireNonNull(channel, "channel");
            this.rate = Objects.requireNonNull(rate, "rate");
        }

        /**
         * The most requests in flight (default 16). At Twilio's latency of roughly 100 ms, 2,000
         * messages per second need about 200; give the channel as many connections
         * ({@link org.twiliochannels.core.TwilioConfig.Builder#maxConcurrentRequests(int)}).
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /** The account-wide cap in segments per second (default 2,000), whatever the sender's rate. */
        public Builder accountCap(double segmentsPerSecond) {
            pacing.accountCap(segmentsPerSecond);
            return this;
        }

        /**
         * Recipients (address text, e.g. {@code +14155551234}) an earlier run accepted or left
         * unknown: they are skipped, never sent again.
         */
        public Builder alreadyDone(Collection<String> recipients) {
            alreadyDone.addAll(Objects.requireNonNull(recipients, "recipients"));
            return this;
        }

        /**
         * Twilio codes that stop the run besides those the catalogue marks
         * {@link TwilioErrorCode.Kind#FATAL} (account, credentials or sender unusable), which always do
         * (default none).
         */
        public Builder stopOn(Collection<Integer> codes) {
            stopCodes.clear();
            stopCodes.addAll(Objects.requireNonNull(codes, "codes"));
            return this;
        }

        /** Called with the counts at most once per {@code interval}, and once at the end. */
        public Builder progress(Duration interval, Consumer<BulkProgress> listener) {
            this.progressInterval = Objects.requireNonNull(interval, "interval");
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The sender. */
        public BulkSender build() {
            return new BulkSender(this);
        }
    }
}
