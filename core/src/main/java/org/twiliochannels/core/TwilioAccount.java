package org.twiliochannels.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.core.internal.send.AccountEngine;

/**
 * One Twilio account: owns the HTTP transport and its connections, the retry runner, the executor
 * of async sends, the account's rate-limit state and the event listeners. Channels are light views
 * of it ({@link #channel(String)}); message look-ups ({@link #fetch}, {@link #cancel},
 * {@link #settle}) are account resources and live here. Open one per account, share it, close it
 * when the application stops. Thread-safe.
 *
 * <pre>{@code
 * try (TwilioAccount twilio = TwilioAccount.builder(TwilioEnvironment.load())
 *         .listener(myMetrics)
 *         .build()) {
 *     Receipt r = twilio.channel("sms").send(Message.text("+14155551234", "Your code is 123456"));
 *     MessageState now = twilio.fetch(r.sid());
 * }
 * }</pre>
 */
public final class TwilioAccount implements AutoCloseable {
    private final AccountEngine engine;
    private final ClassLoader loader;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    private TwilioAccount(Builder b) {
        this.engine = new AccountEngine(b.config, b.listeners, org.twiliochannels.core.internal.Timing.SYSTEM, b.windows);
        this.loader = b.loader;
    }

    /** An account client with no listeners, finding channels with this library's class loader. */
    public static TwilioAccount open(TwilioConfig config) {
        return builder(config).build();
    }

    /** A builder for an account client on {@code config}. */
    public static Builder builder(TwilioConfig config) {
        return new Builder(config);
    }

    /** The configuration this client was opened with. */
    public TwilioConfig config() {
        return engine.config();
    }

    /**
     * The channel with this id, found on the class path the first time it is asked for and then
     * kept: every call with the same id returns the same view. Closing a view does not close the
     * account.
     *
     * @throws ChannelConfigurationException when no provider has the id (the message lists the
     *         ids found and the artifact to add), or the configuration lacks the channel's sender
     */
    public Channel channel(String id) {
        Objects.requireNonNull(id, "id");
        Channel existing = channels.get(id);
        if (existing != null) {
            return existing;
        }
        ChannelProvider provider = Channels.provider(id, loader);
        return channels.computeIfAbsent(id, k -> new PolicyChannel(this, id, provider.policy(config()), false));
    }

    /** A channel that owns this account: closing the channel closes the account. */
    Channel ownedBy(ChannelProvider provider) {
        try {
            return new PolicyChannel(this, provider.id(), provider.policy(config()), true);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    AccountEngine engine() {
        return engine;
    }

    /** The ids of the channels this client can open, sorted. */
    public List<String> availableChannels() {
        return new ArrayList<>(Channels.providers(loader).keySet());
    }

    /**
     * Looks a message up at Twilio (retried like every read; never "may have been sent").
     *
     * @throws TwilioRejectedException    Twilio answered with an error (20404 for an unknown SID)
     * @throws TwilioUnreachableException Twilio could not be reached
     */
    public MessageState fetch(MessageSid sid) {
        return engine.fetch(Objects.requireNonNull(sid, "sid"));
    }

    /**
     * Cancels a scheduled message that Twilio has not sent yet.
     *
     * @return the message's state after the cancellation ({@code canceled})
     * @throws TwilioRejectedException when Twilio refuses, e.g. the message is not scheduled or already sent
     */
    public MessageState cancel(MessageSid sid) {
        return engine.cancel(Objects.requireNonNull(sid, "sid"));
    }

    /**
     * Reads Twilio's message log to learn whether a send whose answer was lost created a message:
     * {@link Settlement.Found} with its state, {@link Settlement.Absent}, or
     * {@link Settlement.Unknown} with the reason and any candidates. Never throws for a log that
     * cannot be read: that is {@code Unknown}.
     */
    public Settlement settle(SettleQuery query) {
        return engine.settle(Objects.requireNonNull(query, "query"));
    }

    /**
     * Settles many queries at once with one listing of Twilio's log per recipient and sender (bulk
     * runs settle their ambiguous items this way at the end). Every query gets an answer.
     */
    public java.util.Map<SettleQuery, Settlement> settleAll(java.util.Collection<SettleQuery> queries) {
        return engine.settleAll(List.copyOf(Objects.requireNonNull(queries, "queries")));
    }

    /**
     * Registers a listener until the returned handle is closed (bulk runs use this to watch their
     * own channel's throttling). Listeners given to the builder stay for the client's life.
     */
    public AutoCloseable subscribe(TwilioEventListener listener) {
        return engine.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops taking sends, lets sends in flight finish (waiting at most the send deadline), ends
     * queued async sends as not sent ({@link TwilioChannelsException} whose
     * {@code mayHaveBeenSent()} is false), then closes connections. Sends started after this throw
     * {@link TwilioChannelsException} (not sent). Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "TwilioAccount[" + engine.config().credentials().accountSid() + ", channels=" + channels.keySet() + "]";
    }

    /** Builds a {@link TwilioAccount}. */
    public static final class Builder {
        private final TwilioConfig config;
        private final List<TwilioEventListener> listeners = new ArrayList<>();
        private ClassLoader loader = TwilioAccount.class.getClassLoader();
        private org.twiliochannels.core.whatsapp.SessionWindows windows =
                org.twiliochannels.core.whatsapp.SessionWindows.none();

        private Builder(TwilioConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Adds a listener for the client's life (default none); called in the order added. */
        public Builder listener(TwilioEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The class loader that finds channel providers (default: this library's). */
        public Builder classLoader(ClassLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Where WhatsApp sends learn whether the person's 24-hour window is open before the request
         * (default {@link org.twiliochannels.core.whatsapp.SessionWindows#none()}: always unknown, so
         * a send tries free-form and falls back to its template after 63016). Give the same windows
         * to the {@link org.twiliochannels.core.inbound.InboundRouter} that records inbound messages.
         */
        public Builder sessionWindows(org.twiliochannels.core.whatsapp.SessionWindows windows) {
            this.windows = Objects.requireNonNull(windows, "windows");
            return this;
        }

        /** The client; opens no connection until the first request. */
        public TwilioAccount build() {
            return new TwilioAccount(this);
        }
    }
}
