package org.twiliochannels.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import mockwebserver3.MockWebServer;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * A fake of Twilio's Messages API on loopback, for testing code that sends messages without an
 * account or a network. It serves message create, fetch, cancel and the message log (the list,
 * filtered by {@code To}, {@code From} and {@code DateSent}, newest first, paged with
 * {@code next_page_uri}), the account and its phone numbers, and the Content API on the same port by
 * path ({@code /v1/Content}: create, fetch, list, WhatsApp approval requests with a status the test
 * sets, see {@link #templateStatus}); checks Basic authentication (20003
 * otherwise); validates requests as Twilio does (required parameters, E.164, channel prefixes, body
 * length, trial and sandbox rules, Twilio's magic test numbers) and answers with Twilio's JSON
 * shapes and error codes. It records every request, and plays scripted {@link Fault}s on both
 * sides of an ambiguous failure (created or not, then a 5xx or a dropped connection).
 *
 * <pre>{@code
 * try (FakeTwilio twilio = FakeTwilio.start();
 *      Channel sms = SmsChannel.open(twilio.config().build())) {
 *     sms.send(Message.text("+14155551234", "hi"));
 *     twilio.assertSent(Match.to("+14155551234").body("hi"));
 * }
 * }</pre>
 */
public final class FakeTwilio implements AutoCloseable {
    /** Twilio's magic From number that always succeeds with test credentials. */
    public static final PhoneNumber DEFAULT_SMS_NUMBER = PhoneNumber.of("+15005550006");

    /** An account's status, as Twilio reports it; only an active account sends. */
    public enum AccountStatus {
        /** Sends. */
        ACTIVE,
        /** Suspended: creates fail with 20003. */
        SUSPENDED,
        /** Closed: creates fail with 20003. */
        CLOSED
    }

    private final AccountState account = new AccountState();
    private final MessageStore store = new MessageStore();
    private final ContentStore content = new ContentStore();
    private final ContentEndpoints contentEndpoints;
    private final Router router;
    private final FaultPlan faults = new FaultPlan();
    private final RequestLog log = new RequestLog();
    private final SentAssertions assertions = new SentAssertions();
    private final Clock clock;
    private final CallbackClient callbacks;
    private final MockWebServer server = new MockWebServer();

    private FakeTwilio(Builder b) {
        this.clock = b.clock;
        this.callbacks = new CallbackClient(signer(), account);
        account.ownedSmsNumbers.add(DEFAULT_SMS_NUMBER.value());
        Endpoints endpoints = new Endpoints(account, new TwilioRules(account, content, clock), store, faults, clock);
        this.contentEndpoints = new ContentEndpoints(account, content, clock);
        this.router = new Router(account, endpoints, log, contentEndpoints);
        server.setDispatcher(router);
        server.setServerSocketFactory(new NoDelayServerSockets());
    }

    /** Starts a fake on a free loopback port, with fresh random credentials and the system clock. */
    public static FakeTwilio start() {
        return builder().start();
    }

    /** A builder, to start a fake with its own clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets up a {@link FakeTwilio} before it starts. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * The clock that dates messages ({@code date_created}, {@code date_sent}): Twilio's clock,
         * which a test may set apart from the client's to place messages in time or to skew the
         * two. Default: {@link Clock#systemUTC()}.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Starts the fake on a free loopback port.
         *
         * @throws UncheckedIOException when no loopback port can be bound
         */
        public FakeTwilio start() {
            FakeTwilio fake = new FakeTwilio(this);
            try {
                fake.server.start(InetAddress.getLoopbackAddress(), 0);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the fake Twilio on loopback", e);
            }
            return fake;
        }
    }

    /** The Account SID the fake accepts. */
    public AccountSid accountSid() {
        return account.accountSid;
    }

    /** The auth token the fake accepts. */
    public AuthToken authToken() {
        return account.authToken;
    }

    /** Credentials the fake accepts. */
    public TwilioCredentials credentials() {
        return TwilioCredentials.of(account.accountSid, account.authToken);
    }

    /** API-key credentials the fake accepts too ({@code SK…} and its secret, for the same account). */
    public TwilioCredentials apiKeyCredentials() {
        return TwilioCredentials.ofApiKey(account.accountSid, account.apiKey, account.apiKeySecret);
    }

    /** The base URL to give {@link TwilioConfig.Builder#apiBaseUrl(URI)}. */
    public URI baseUrl() {
        return URI.create("http://" + server.getHostName() + ":" + server.getPort());
    }

    /** The clock that dates this fake's messages. */
    public Clock clock() {
        return clock;
    }

    /**
     * A configuration builder that talks to this fake: its credentials and base URL, the SMS
     * sender {@link #DEFAULT_SMS_NUMBER} and the WhatsApp sandbox sender. Adjust and build.
     */
    public TwilioConfig.Builder config() {
        return TwilioConfig.builder()
                .credentials(credentials())
                .apiBaseUrl(baseUrl())
                .smsFrom(DEFAULT_SMS_NUMBER)
                .whatsAppFrom(WhatsAppAddress.SANDBOX);
    }

    // ----- account set-up -----

    /** Makes the account a trial account: only {@link #verify verified} numbers receive. */
    public FakeTwilio trialAccount() {
        account.trial = true;
        return this;
    }

    /** Sets the account status Twilio reports; only an active account sends. */
    public FakeTwilio accountStatus(AccountStatus status) {
        account.status = Objects.requireNonNull(status, "status");
        return this;
    }

    /** Verifies a number, as a trial account needs for each recipient. */
    public FakeTwilio verify(PhoneNumber number) {
        account.verifiedNumbers.add(number.value());
        return this;
    }

    /** Lets {@code number} receive from the WhatsApp sandbox, as if it had sent the join code. */
    public FakeTwilio joinSandbox(PhoneNumber number) {
        account.sandboxMembers.add(number.value());
        return this;
    }

    /**
     * Closes WhatsApp's 24-hour customer-service window for {@code number}: free-form WhatsApp
     * messages to it fail with 63016, templates ({@code ContentSid}) still go through.
     */
    public FakeTwilio closeSessionWindow(PhoneNumber number) {
        account.closedWindows.add(number.value());
        return this;
    }

    /**
     * Answers free-form WhatsApp messages as WhatsApp does, by each person's own 24-hour window on
     * this fake's clock: a free-form message to a number that has not written (through
     * {@link #sendInbound}) in the last 24 hours fails with 63016; templates still go through.
     */
    public FakeTwilio enforceSessionWindows() {
        account.windowsEnforced = true;
        return this;
    }

    /** Adds an SMS-capable number to the account, so it may be used as sender. */
    public FakeTwilio ownNumber(PhoneNumber number) {
        account.ownedSmsNumbers.add(number.value());
        return this;
    }

    // ----- faults -----

    /** Plays these faults, in order, on the next message-create requests. */
    public FakeTwilio failNext(Fault... faults) {
        this.faults.nextCreates(faults);
        return this;
    }

    /** Plays {@code fault} on every message-create request to {@code to} (as sent in {@code To}). */
    public FakeTwilio failFor(Address to, Fault fault) {
        faults.createsTo(to.value(), fault);
        return this;
    }

    /**
     * Plays one of {@code faults}, picked at random, on the given fraction of message-create
     * requests (those without a fault of their own); {@code seed} makes runs repeatable.
     */
    public FakeTwilio failFraction(double fraction, long seed, Fault... faults) {
        this.faults.fraction(fraction, seed, faults);
        return this;
    }

    /**
     * Plays these faults, in order, on the next reads of the message log (message-list requests),
     * for example a 5xx or a {@linkplain Fault#delay delay} longer than the client's read timeout.
     *
     * @throws IllegalArgumentException for a fault that creates a message
     */
    public FakeTwilio failNextList(Fault... faults) {
        this.faults.nextLists(faults);
        return this;
    }

    /**
     * Plays {@code fault} on every read of the message log filtered by {@code To=to}: that
     * recipient's log cannot be read.
     *
     * @throws IllegalArgumentException for a fault that creates a message
     */
    public FakeTwilio failListFor(Address to, Fault fault) {
        faults.listsTo(to.value(), fault);
        return this;
    }

    /** Forgets every fault set up and not yet played: from now on every request is answered normally. */
    public FakeTwilio clearFaults() {
        faults.clear();
        return this;
    }

    // ----- the message log -----

    /**
     * Puts a message in the account's log as if it had been sent before; it is listed and fetched,
     * not counted as {@link #sent() sent}.
     *
     * @return its SID
     * @throws IllegalArgumentException when the sender cannot be defaulted for the recipient's kind
     */
    public MessageSid seedMessage(PastMessage past) {
        Objects.requireNonNull(past, "past");
        MessageSid sid = MessageSid.of("SM" + account.hex(16));
        Instant now = clock.instant();
        store.add(seq -> StoredMessage.past(past, sid, seq, now));
        return sid;
    }

    // ----- what was sent -----

    /** Every message created by a request (not seeded), in order of arrival. */
    public List<SentMessage> sent() {
        return store.all().stream().filter(m -> !m.seeded()).map(StoredMessage::asSent).toList();
    }

    /** The messages created by requests to {@code to} (as sent in {@code To}, e.g. {@code whatsapp:+…}). */
    public List<SentMessage> sentTo(Address to) {
        return sent().stream().filter(m -> m.to().equals(to.value())).toList();
    }

    /**
     * How many messages requests created for {@code to}, faults that hid the answer included: the
     * number a test asserts to prove that nothing was created twice.
     */
    public int createdCount(Address to) {
        return sentTo(to).size();
    }

    /** Every message-create request received, in order of arrival, with the fault played and whether it was stored. */
    public List<CreateRequest> createRequests() {
        return log.all().stream().filter(r -> r.kind() == ApiRequest.Kind.CREATE_MESSAGE)
                .map(r -> new CreateRequest(r.params(), r.fault(), r.created().isPresent())).toList();
    }

    /** Every request received, of any kind, in order of arrival, with how it was answered. */
    public List<ApiRequest> requests() {
        return log.all();
    }

    /**
     * Asserts that a message matching {@code match} was sent and not yet claimed by an earlier
     * assertion, claims it and returns it. Call it twice to assert two such messages.
     *
     * @throws AssertionError listing every message sent when none matches
     */
    public SentMessage assertSent(Match match) {
        return assertions.assertSent(sent(), Objects.requireNonNull(match, "match"));
    }

    /**
     * Asserts that every message sent was claimed by {@link #assertSent(Match)}.
     *
     * @throws AssertionError listing the messages nobody asserted
     */
    public void assertNothingElseSent() {
        assertions.assertNothingElseSent(sent());
    }

    /**
     * Asserts that no message-create request repeated an earlier one (same {@code To}, sender and
     * content) whose answer left its fate open (a 5xx, a dropped connection, a late or unreadable
     * success) without a successful read of the message log for that recipient in between: the
     * rule that keeps a resend from creating a duplicate. A clean answer (201, or a 4xx such as 429)
     * closes the question, so repeats after it are not flagged.
     *
     * @throws AssertionError listing each blind resend with the request it repeated
     */
    public void assertNoResendWithoutLookup() {
        List<String> blind = log.blindResends();
        if (!blind.isEmpty()) {
            throw new AssertionError("Expected every resend after an uncertain answer to follow a look-up of the"
                    + " message log for its recipient, but " + blind.size() + " did not:"
                    + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", blind));
        }
    }

    // ----- Content API (templates) -----

    /**
     * The Content resource created with this friendly name and language, if any: the SID a test
     * moves through approval statuses.
     */
    public Optional<ContentSid> contentSid(String friendlyName, String language) {
        Objects.requireNonNull(friendlyName, "friendlyName");
        Objects.requireNonNull(language, "language");
        return content.all().stream().filter(e -> e.friendlyName().equals(friendlyName) && e.language().equals(language))
                .map(ContentStore.Entry::sid).findFirst();
    }

    /**
     * Moves a Content resource's WhatsApp approval to {@code status} (approved, pending, paused,
     * disabled …), as WhatsApp's review would; the rejection reason is cleared. Outside a closed
     * window ({@link #closeSessionWindow}) a WhatsApp send of a template that is not approved is
     * refused with 63016, as Twilio does.
     *
     * @throws IllegalArgumentException when no such resource was created, or for {@code REJECTED}
     *                                  (use {@link #rejectTemplate}) or {@code UNKNOWN}
     */
    public FakeTwilio templateStatus(ContentSid sid, ApprovalStatus status) {
        Objects.requireNonNull(status, "status");
        if (status == ApprovalStatus.REJECTED || status == ApprovalStatus.UNKNOWN) {
            throw new IllegalArgumentException("status " + status + ": use rejectTemplate(sid, reason) for a rejection;"
                    + " UNKNOWN is not a status Twilio reports");
        }
        return approval(sid, status, "");
    }

    /** Rejects a Content resource's WhatsApp approval with WhatsApp's {@code reason}, e.g. {@code INVALID_FORMAT}. */
    public FakeTwilio rejectTemplate(ContentSid sid, String reason) {
        return approval(sid, ApprovalStatus.REJECTED, Objects.requireNonNull(reason, "reason"));
    }

    private FakeTwilio approval(ContentSid sid, ApprovalStatus status, String reason) {
        Objects.requireNonNull(sid, "sid");
        Instant now = clock.instant();
        content.update(sid, e -> e.approval(status, reason, now)).orElseThrow(() ->
                new IllegalArgumentException("no Content resource " + sid + " was created in this fake"));
        return this;
    }

    /** Plays these faults, in order, on the next Content create requests ({@code POST /v1/Content}). */
    public FakeTwilio failNextContentCreate(Fault... faults) {
        contentEndpoints.failNextCreates(faults);
        return this;
    }

    /** Every Content API request received, in order of arrival, with its body. */
    public List<ContentRequest> contentRequests() {
        return router.contentRequests();
    }

    // ----- message lifecycle -----

    /**
     * Moves a message on to {@code status} and, when it was sent with a {@code StatusCallback},
     * POSTs a signed status callback there as Twilio would. A status that means the message left
     * Twilio ({@code sent}, {@code delivered} …) sets {@code date_sent}, once.
     *
     * @return the HTTP status the callback endpoint answered, or 0 when the message has no callback URL
     * @throws IllegalArgumentException when no such message is in the log, or for a status of inbound messages
     */
    public int advance(MessageSid sid, MessageStatus status) {
        return advance(sid, status, OptionalInt.empty());
    }

    /** Moves a message through {@code sent} to {@code delivered}, with a callback for each step. */
    public void deliver(MessageSid sid) {
        advance(sid, MessageStatus.SENT);
        advance(sid, MessageStatus.DELIVERED);
    }

    /**
     * Fails a message with a Twilio error code (e.g. {@code UNDELIVERED} with 30003, unreachable
     * handset), with its callback.
     *
     * @return the HTTP status the callback endpoint answered, or 0 when the message has no callback URL
     */
    public int fail(MessageSid sid, MessageStatus status, int errorCode) {
        return advance(sid, status, OptionalInt.of(errorCode));
    }

    private int advance(MessageSid sid, MessageStatus status, OptionalInt errorCode) {
        Objects.requireNonNull(sid, "sid");
        MessageStatus next = outboundStatus(status);
        Instant now = clock.instant();
        StoredMessage m = store.update(sid, old -> old.moveTo(next, errorCode, now))
                .orElseThrow(() -> new IllegalArgumentException("no message " + sid + " is in this fake's log"));
        Optional<String> callback = m.request().flatMap(f -> f.first("StatusCallback"));
        if (callback.isEmpty()) {
            return 0;
        }
        return callbacks.statusCallback(callback.get(), m, errorCode);
    }

    static MessageStatus outboundStatus(MessageStatus status) {
        Objects.requireNonNull(status, "status");
        if (status == MessageStatus.UNKNOWN || status == MessageStatus.RECEIVING || status == MessageStatus.RECEIVED) {
            throw new IllegalArgumentException("status " + status + " is not one of an outbound message; use QUEUED,"
                    + " ACCEPTED, SCHEDULED, SENDING, SENT, DELIVERED, READ, UNDELIVERED, FAILED, CANCELED or"
                    + " PARTIALLY_DELIVERED");
        }
        return status;
    }

    /**
     * Delivers an inbound message to {@code webhookUrl} as Twilio would: a signed form POST with
     * {@code MessageSid}, {@code From}, {@code To}, {@code Body}, {@code NumMedia}, and for WhatsApp
     * senders {@code ProfileName} and {@code WaId}. A WhatsApp message opens the sender's window
     * ({@link #enforceSessionWindows()}).
     *
     * @param extra further parameters, e.g. {@code MediaUrl0} and {@code MediaContentType0}
     * @return the HTTP status the webhook answered
     */
    public int sendInbound(String webhookUrl, Address from, Address to, String body, Map<String, String> extra) {
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(extra, "extra");
        if (from instanceof WhatsAppAddress w) {
            account.lastInbound.put(w.phoneNumber().value(), clock.instant());
        }
        return callbacks.inbound(webhookUrl, from, to, body, extra);
    }

    /**
     * Delivers a press of a WhatsApp quick-reply button to {@code webhookUrl} as Twilio would: a
     * signed inbound message whose {@code Body} and {@code ButtonText} are the button's title,
     * {@code ButtonPayload} its id, {@code MessageType} {@code button}, and
     * {@code OriginalRepliedMessageSid} the message it answers.
     *
     * @param from      the person, e.g. {@code whatsapp:+14155551234}
     * @param to        the WhatsApp sender the template came from
     * @param answered  the message with the buttons
     * @return the HTTP status the webhook answered
     */
    public int pressButton(String webhookUrl, Address from, Address to, MessageSid answered, String payload,
                           String title) {
        Objects.requireNonNull(answered, "answered");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(title, "title");
        return sendInbound(webhookUrl, from, to, title, Map.of("ButtonPayload", payload, "ButtonText", title,
                "MessageType", "button", "OriginalRepliedMessageSid", answered.value()));
    }

    /** The signer for this fake's auth token, to sign requests in tests. */
    public WebhookSigner signer() {
        return new WebhookSigner(account.authToken.revealSecret());
    }

    /** Requests of any kind received so far. */
    public int requestCount() {
        return server.getRequestCount();
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeTwilio[" + baseUrl() + ", account=" + account.accountSid + "]";
    }
}
