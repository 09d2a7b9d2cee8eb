package org.twiliochannels.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.internal.send.AccountEngine;
import org.twiliochannels.core.internal.send.SendChecks;
import org.twiliochannels.core.schedule.QuietHours;

/**
 * One Twilio account: owns the HTTP transport and its connections, the retry runner, the executor
 * of async sends, the account's rate-limit state and the event listeners. Channels are light views
 * of it ({@link #channel(String)}); message look-ups ({@link #fetch}, {@link #cancel},
 * {@link #settle}) are account resources and live here. Open one per account, share it, close it
 * when the application stops. Thread-safe.
 *
 * <p>Every send of every channel of the account (sync, async, bulk, the outbox's) is checked
 * before any request against the account's {@link Builder#consentLedger consent ledger} and
 * {@link Builder#quietHours quiet hours}: an opted-out recipient, or a message its category's
 * window holds, is refused with no request.
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
    /** The infrastructure this account shares, or null when it owns its own parts. */
    private final TwilioInfrastructure infrastructure;

    private TwilioAccount(Builder b) {
        this.infrastructure = b.infrastructure;
        SendChecks checks = new SendChecks(b.config.credentials().accountSid(), b.ledger, b.quietHours, b.clock);
        this.engine = infrastructure == null ? new AccountEngine(b.config, b.listeners, checks, b.windows)
                : infrastructure.engine(this, b.config, b.listeners, checks, b.windows);
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

    /** The consent ledger every send of this account checks, when one was given to the builder. */
    public Optional<ConsentLedger> consentLedger() {
        return engine.checks().ledger();
    }

    /** The quiet hours every send of this account checks ({@link QuietHours#defaults()} unless the builder said otherwise). */
    public QuietHours quietHours() {
        return engine.checks().quietHours();
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
     * The account's Content API ({@code content.twilio.com}, or the custom API base URL): Content
     * templates listed, fetched, created, submitted for WhatsApp approval and their status read, on
     * this client's transport, credentials and deadlines. The whatsapp module's
     * {@code whatsapp.content.WhatsAppTemplates} builds on it.
     */
    public org.twiliochannels.core.content.ContentApi content() {
        return engine.content();
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
        if (infrastructure != null) {
            infrastructure.closed(this);
        }
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
        private TwilioInfrastructure infrastructure;
        private ConsentLedger ledger;
        private QuietHours quietHours = QuietHours.defaults();
        private Clock clock = Clock.systemUTC();
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
         * Opens the account on {@code infrastructure}'s connections, deadline watch and send threads
         * instead of parts of its own (default: its own). The config's {@code asyncExecutor}, when
         * set, still runs its async sends.
         */
        public Builder sharing(TwilioInfrastructure infrastructure) {
            this.infrastructure = Objects.requireNonNull(infrastructure, "infrastructure");
            return this;
        }

        /**
         * The consent ledger every send checks before any request (default none): a recipient it
         * has as opted out in the sender's scope (the Messaging Service when one sends, else the
         * sender's address; the channel; this account) is refused with
         * {@link org.twiliochannels.core.consent.RecipientOptedOutException}, and a send Twilio
         * refuses with error 21610 records the recipient as opted out in it. Sync, async and bulk
         * sends, and the outbox's, all go through this check.
         */
        public Builder consentLedger(ConsentLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /**
         * The sending windows per message category, in the recipient's local time (default
         * {@link QuietHours#defaults()}: MARKETING 08:00–21:00, the rest at any time;
         * {@link QuietHours#none()} holds nothing). A send whose window is closed is refused with
         * {@link org.twiliochannels.core.schedule.QuietHoursException} saying when it opens, unless
         * {@link SendOptions#overrideQuietHours(boolean)}; CRITICAL messages are never held.
         */
        public Builder quietHours(QuietHours quietHours) {
            this.quietHours = Objects.requireNonNull(quietHours, "quietHours");
            return this;
        }

        /** The clock quiet hours are checked on and opt-outs recorded at (default the system's, UTC); tests inject one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
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

        /**
         * The client; opens no connection until the first request.
         *
         * @throws IllegalStateException when the infrastructure it shares is closed
         */
        public TwilioAccount build() {
            return new TwilioAccount(this);
        }
    }
}
