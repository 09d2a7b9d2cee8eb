package org.twiliochannels.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.ApiKeySid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.SegmentCount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.WhatsAppAddress;

/**
 * A fake of Twilio's Messages API on loopback, for testing code that sends messages without an
 * account or a network. It serves message create, fetch and list, account fetch and the list of
 * the account's phone numbers; checks Basic authentication (20003 otherwise); validates requests as
 * Twilio does (required parameters, E.164, channel prefixes, body length, trial and sandbox rules,
 * Twilio's magic test numbers) and answers with Twilio's JSON shapes and error codes. It records
 * every request, and plays scripted {@link Fault}s.
 *
 * <pre>{@code
 * try (FakeTwilio twilio = FakeTwilio.start();
 *      Channel sms = SmsChannel.open(twilio.config().build())) {
 *     sms.send(Message.text("+14155551234", "hi"));
 *     assertEquals("hi", twilio.sentTo("+14155551234").get(0).body().orElseThrow());
 * }
 * }</pre>
 */
public final class FakeTwilio implements AutoCloseable {
    /** Twilio's magic From number that always succeeds with test credentials. */
    public static final PhoneNumber DEFAULT_SMS_NUMBER = PhoneNumber.of("+15005550006");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
    private static final Pattern ACCOUNT = Pattern.compile("/2010-04-01/Accounts/([^/]+)\\.json");
    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern MESSAGE = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\\.json");
    private static final Pattern NUMBERS = Pattern.compile("/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers\\.json");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Map<String, Magic> MAGIC_TO = Map.of(
            "+15005550001", new Magic(21211, "The 'To' number +15005550001 is not a valid phone number."),
            "+15005550002", new Magic(21612, "The 'To' phone number: +15005550002, is not currently reachable"
                    + " using the 'From' phone number via SMS."),
            "+15005550003", new Magic(21408, "Permission to send an SMS has not been enabled for the region"
                    + " indicated by the 'To' number: +15005550003."),
            "+15005550004", new Magic(21610, "Attempt to send to unsubscribed recipient"),
            "+15005550009", new Magic(21614, "'To' number is not a valid mobile number"));
    private static final Map<String, Magic> MAGIC_FROM = Map.of(
            "+15005550001", new Magic(21212, "The 'From' number +15005550001 is not a valid phone number,"
                    + " shortcode, or alphanumeric sender ID."),
            "+15005550007", new Magic(21606, "The 'From' phone number provided is not a valid, message-capable"
                    + " Twilio phone number for this destination/account."),
            "+15005550008", new Magic(21611, "This 'From' number has exceeded the maximum number of queued"
                    + " messages"));

    private final MockWebServer server;
    private final AccountSid accountSid;
    private final AuthToken authToken;
    private final ApiKeySid apiKey;
    private final ApiKeySecret apiKeySecret;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final List<CreateRequest> createRequests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> nextFaults = new ArrayDeque<>();
    private final Map<String, Fault> recipientFaults = new ConcurrentHashMap<>();
    private final Set<String> ownedSmsNumbers = ConcurrentHashMap.newKeySet();
    private final Set<String> verifiedNumbers = ConcurrentHashMap.newKeySet();
    private final Set<String> sandboxMembers = ConcurrentHashMap.newKeySet();
    private final Set<String> closedWindows = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private volatile String accountType = "Full";
    private volatile String accountStatus = "active";
    private volatile Random fractionRandom;
    private volatile double faultFraction;
    private volatile List<Fault> fractionFaults = List.of();

    private FakeTwilio() {
        this.accountSid = AccountSid.of("AC" + hex(16));
        this.authToken = AuthToken.of(hex(16));
        this.apiKey = ApiKeySid.of("SK" + hex(16));
        this.apiKeySecret = ApiKeySecret.of(hex(16));
        this.ownedSmsNumbers.add(DEFAULT_SMS_NUMBER.value());
        this.server = new MockWebServer();
        this.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
    }

    /** Starts a fake on a free loopback port, with fresh random credentials. */
    public static FakeTwilio start() {
        FakeTwilio fake = new FakeTwilio();
        try {
            fake.server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake Twilio on loopback", e);
        }
        return fake;
    }

    /** The Account SID the fake accepts. */
    public AccountSid accountSid() {
        return accountSid;
    }

    /** The auth token the fake accepts. */
    public AuthToken authToken() {
        return authToken;
    }

    /** Credentials the fake accepts. */
    public TwilioCredentials credentials() {
        return TwilioCredentials.of(accountSid, authToken);
    }

    /** API-key credentials the fake accepts too ({@code SK…} and its secret, for the same account). */
    public TwilioCredentials apiKeyCredentials() {
        return TwilioCredentials.ofApiKey(accountSid, apiKey, apiKeySecret);
    }

    /** The base URL to give {@link TwilioConfig.Builder#apiBaseUrl(URI)}. */
    public URI baseUrl() {
        return URI.create("http://" + server.getHostName() + ":" + server.getPort());
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
        this.accountType = "Trial";
        return this;
    }

    /** Sets the account status Twilio reports: {@code active}, {@code suspended} or {@code closed}. */
    public FakeTwilio accountStatus(String status) {
        this.accountStatus = Objects.requireNonNull(status, "status");
        return this;
    }

    /** Verifies a number, as a trial account needs for each recipient. */
    public FakeTwilio verify(String number) {
        verifiedNumbers.add(number);
        return this;
    }

    /** Lets {@code number} receive from the WhatsApp sandbox, as if it had sent the join code. */
    public FakeTwilio joinSandbox(String number) {
        sandboxMembers.add(number.startsWith("whatsapp:") ? number.substring(9) : number);
        return this;
    }

    /**
     * Closes WhatsApp's 24-hour customer-service window for {@code number}: free-form WhatsApp
     * messages to it fail with 63016, templates ({@code ContentSid}) still go through.
     */
    public FakeTwilio closeSessionWindow(String number) {
        closedWindows.add(number.startsWith("whatsapp:") ? number.substring(9) : number);
        return this;
    }

    /** Adds an SMS-capable number to the account, so it may be used as sender. */
    public FakeTwilio ownNumber(String number) {
        ownedSmsNumbers.add(number);
        return this;
    }

    // ----- faults -----

    /** Plays these faults, in order, on the next message-create requests. */
    public FakeTwilio failNext(Fault... faults) {
        synchronized (nextFaults) {
            nextFaults.addAll(List.of(faults));
        }
        return this;
    }

    /** Plays {@code fault} on every message sent to {@code to}. */
    public FakeTwilio failFor(String to, Fault fault) {
        recipientFaults.put(to, Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /**
     * Plays one of {@code faults}, picked at random, on the given fraction of message-create
     * requests; {@code seed} makes runs repeatable.
     */
    public FakeTwilio failFraction(double fraction, long seed, Fault... faults) {
        this.fractionRandom = new Random(seed);
        this.fractionFaults = List.of(faults);
        this.faultFraction = fraction;
        return this;
    }

    // ----- what was sent -----

    /** Every message the fake accepted, in order of arrival. */
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** The accepted messages to {@code to} (as sent in {@code To}, e.g. {@code whatsapp:+…}). */
    public List<SentMessage> sentTo(String to) {
        return sent.stream().filter(m -> m.to().equals(to)).toList();
    }

    /** Every message-create request received, in order of arrival, with the fault played and whether it was stored. */
    public List<CreateRequest> createRequests() {
        return List.copyOf(createRequests);
    }

    /**
     * Asserts that a message matching {@code match} was sent and not yet claimed by an earlier
     * assertion, claims it and returns it. Call it twice to assert two such messages.
     *
     * @throws AssertionError listing every message sent when none matches
     */
    public SentMessage assertSent(Match match) {
        for (SentMessage m : sent) {
            if (!verified.contains(m.sid()) && match.matches(m)) {
                verified.add(m.sid());
                return m;
            }
        }
        throw new AssertionError("Expected " + match + " to have been sent, but "
                + (sent.isEmpty() ? "nothing was sent." : "the messages sent were:" + describe(sent)));
    }

    /**
     * Asserts that every message sent was claimed by {@link #assertSent(Match)}.
     *
     * @throws AssertionError listing the messages nobody asserted
     */
    public void assertNothingElseSent() {
        List<SentMessage> others = sent.stream().filter(m -> !verified.contains(m.sid())).toList();
        if (!others.isEmpty()) {
            throw new AssertionError("Expected nothing else to have been sent, but also sent:" + describe(others));
        }
    }

    private static String describe(List<SentMessage> messages) {
        StringBuilder s = new StringBuilder();
        for (SentMessage m : messages) {
            s.append(System.lineSeparator()).append("  ").append(m.channel()).append(" to ").append(m.to())
                    .append(m.body().map(b -> " body \"" + b + "\"").orElse(""))
                    .append(m.contentSid().map(c -> " template " + c).orElse(""))
                    .append(m.mediaUrls().isEmpty() ? "" : " media " + m.mediaUrls());
        }
        return s.toString();
    }

    // ----- message lifecycle -----

    /**
     * Moves a message on to {@code status} ({@code sending}, {@code sent}, {@code delivered},
     * {@code read}, {@code undelivered}, {@code failed}) and, when it has a {@code StatusCallback},
     * POSTs a signed status callback there as Twilio would.
     *
     * @return the HTTP status the callback endpoint answered, or 0 when the message has no callback URL
     */
    public int advance(String sid, String status) {
        return advance(sid, status, 0);
    }

    /** Moves a message through {@code sent} to {@code delivered}, with a callback for each step. */
    public void deliver(String sid) {
        advance(sid, "sent");
        advance(sid, "delivered");
    }

    /** Fails a message with a Twilio error code (e.g. 30003, unreachable handset), with its callback. */
    public int fail(String sid, String status, int errorCode) {
        return advance(sid, status, errorCode);
    }

    private int advance(String sid, String status, int errorCode) {
        ObjectNode message = messages.get(sid);
        if (message == null) {
            throw new IllegalArgumentException("no message " + sid + " was sent to this fake");
        }
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        SentMessage original = sent.stream().filter(m -> m.sid().equals(sid)).findFirst().orElseThrow();
        synchronized (message) {
            message.put("status", status);
            if (errorCode != 0) {
                message.put("error_code", errorCode);
            }
            params.put("AccountSid", List.of(accountSid.value()));
            params.put("ApiVersion", List.of("2010-04-01"));
            params.put("From", List.of(message.path("from").asText("")));
            params.put("To", List.of(message.path("to").asText("")));
            params.put("MessageSid", List.of(sid));
            params.put("SmsSid", List.of(sid));
            params.put("MessageStatus", List.of(status));
            params.put("SmsStatus", List.of(status));
            if (errorCode != 0) {
                params.put("ErrorCode", List.of(Integer.toString(errorCode)));
            }
            if (original.channel().equals("whatsapp")) {
                params.put("ChannelPrefix", List.of("whatsapp"));
            }
        }
        Optional<String> callback = original.statusCallback();
        return callback.isEmpty() ? 0 : post(callback.get(), params);
    }

    /**
     * Delivers an inbound message to {@code webhookUrl} as Twilio would: a signed form POST with
     * {@code MessageSid}, {@code From}, {@code To}, {@code Body}, {@code NumMedia}, and for WhatsApp
     * senders ({@code whatsapp:…}) {@code ProfileName} and {@code WaId}.
     *
     * @param extra further parameters, e.g. {@code MediaUrl0} and {@code MediaContentType0}
     * @return the HTTP status the webhook answered
     */
    public int sendInbound(String webhookUrl, String from, String to, String body, Map<String, String> extra) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        String sid = "SM" + hex(16);
        params.put("MessageSid", List.of(sid));
        params.put("SmsMessageSid", List.of(sid));
        params.put("AccountSid", List.of(accountSid.value()));
        params.put("From", List.of(from));
        params.put("To", List.of(to));
        params.put("Body", List.of(body));
        params.put("NumMedia", List.of(Long.toString(extra.keySet().stream().filter(k -> k.startsWith("MediaUrl")).count())));
        params.put("NumSegments", List.of("1"));
        params.put("ApiVersion", List.of("2010-04-01"));
        if (from.startsWith("whatsapp:")) {
            params.put("ProfileName", List.of("Test User"));
            params.put("WaId", List.of(from.substring(10)));
        }
        extra.forEach((k, v) -> params.put(k, List.of(v)));
        return post(webhookUrl, params);
    }

    /** The signer for this fake's auth token, to sign requests in tests. */
    public WebhookSigner signer() {
        return new WebhookSigner(authToken.revealSecret());
    }

    private int post(String url, Map<String, List<String>> params) {
        StringBuilder form = new StringBuilder();
        params.forEach((k, values) -> values.forEach(v -> form.append(form.length() == 0 ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8))));
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(5000);
            c.setReadTimeout(10000);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            c.setRequestProperty("X-Twilio-Signature", signer().sign(url, params));
            c.setRequestProperty("User-Agent", "TwilioProxy/1.1 (twilio-channels FakeTwilio)");
            c.setRequestProperty("I-Twilio-Idempotency-Token", hex(16));
            try (java.io.OutputStream out = c.getOutputStream()) {
                out.write(form.toString().getBytes(StandardCharsets.UTF_8));
            }
            int code = c.getResponseCode();
            java.io.InputStream answer = code >= 400 ? c.getErrorStream() : c.getInputStream();
            if (answer != null) {
                answer.readAllBytes();
            }
            c.disconnect();
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException("could not POST to " + url, e);
        }
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

    // ----- request handling -----

    private MockResponse handle(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        Optional<MockResponse> denied = authenticate(request, path);
        if (denied.isPresent()) {
            return denied.get();
        }
        Matcher m;
        if ("POST".equals(request.getMethod()) && (m = MESSAGES.matcher(path)).matches()) {
            return create(request);
        }
        if ("POST".equals(request.getMethod()) && (m = MESSAGE.matcher(path)).matches()) {
            return update(m.group(2), FormBody.parse(request.getBody() == null ? "" : request.getBody().utf8()));
        }
        if ("GET".equals(request.getMethod()) && (m = MESSAGE.matcher(path)).matches()) {
            ObjectNode message = messages.get(m.group(2));
            if (message == null) {
                return error(404, 20404, "The requested resource " + path + " was not found");
            }
            synchronized (message) {
                return json(200, message);
            }
        }
        if ("GET".equals(request.getMethod()) && MESSAGES.matcher(path).matches()) {
            return list(request, path);
        }
        if ("GET".equals(request.getMethod()) && ACCOUNT.matcher(path).matches()) {
            return json(200, account());
        }
        if ("GET".equals(request.getMethod()) && NUMBERS.matcher(path).matches()) {
            return numbers(request, path);
        }
        return error(404, 20404, "The requested resource " + path + " was not found");
    }

    private Optional<MockResponse> authenticate(RecordedRequest request, String path) {
        String header = request.getHeaders().get("Authorization");
        boolean pathAccountOk = path.startsWith("/2010-04-01/Accounts/" + accountSid.value() + "/")
                || path.equals("/2010-04-01/Accounts/" + accountSid.value() + ".json");
        boolean credentialsOk = header != null && (header.equals(basic(accountSid.value(), authToken.revealSecret()))
                || header.equals(basic(apiKey.value(), apiKeySecret.revealSecret())));
        if (!credentialsOk || !pathAccountOk) {
            return Optional.of(error(401, 20003, "Authenticate"));
        }
        return Optional.empty();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private MockResponse create(RecordedRequest request) {
        FormBody form = FormBody.parse(request.getBody() == null ? "" : request.getBody().utf8());
        String to = form.first("To").orElse("");
        Fault fault = pickFault(to);
        if (fault != null && !fault.processes()) {
            createRequests.add(new CreateRequest(form, Optional.of(fault), false));
            return play(fault);
        }
        Answer result = validateAndStore(form);
        createRequests.add(new CreateRequest(form, Optional.ofNullable(fault), result.stored()));
        MockResponse.Builder answer = result.response();
        if (fault != null && fault.kind == Fault.Kind.DELAY) {
            answer.headersDelay(fault.duration.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (fault != null && fault.kind == Fault.Kind.MALFORMED_SUCCESS) {
            answer.body("{\"sid\": \"SM").code(201);
        }
        return answer.build();
    }

    private Fault pickFault(String to) {
        Fault f = recipientFaults.get(to);
        if (f != null) {
            return f;
        }
        synchronized (nextFaults) {
            if (!nextFaults.isEmpty()) {
                return nextFaults.poll();
            }
        }
        Random r = fractionRandom;
        if (r != null && !fractionFaults.isEmpty()) {
            synchronized (r) {
                if (r.nextDouble() < faultFraction) {
                    return fractionFaults.get(r.nextInt(fractionFaults.size()));
                }
            }
        }
        return null;
    }

    private MockResponse play(Fault fault) {
        switch (fault.kind) {
            case RATE_LIMITED: {
                MockResponse.Builder b = errorBuilder(429, 20429, "Too Many Requests");
                if (!fault.duration.isZero()) {
                    b.setHeader("Retry-After", Long.toString(Math.max(1, fault.duration.toSeconds())));
                }
                return b.build();
            }
            case SERVER_ERROR:
                return error(fault.status, 20500, "Internal Server Error");
            case HTML_ERROR:
                return new MockResponse.Builder().code(fault.status).setHeader("Content-Type", "text/html")
                        .body("<html><head><title>" + fault.status + " Bad Gateway</title></head><body><h1>"
                                + fault.status + " Bad Gateway</h1></body></html>").build();
            case DISCONNECT_AFTER_REQUEST:
                return new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
            default:
                throw new IllegalStateException("not a failing fault: " + fault);
        }
    }

    private Answer validateAndStore(FormBody form) {
        Optional<String> to = form.first("To");
        Optional<String> from = form.first("From");
        Optional<String> service = form.first("MessagingServiceSid");
        Optional<String> body = form.first("Body");
        boolean hasContent = body.filter(b -> !b.isEmpty()).isPresent() || !form.all("MediaUrl").isEmpty()
                || form.first("ContentSid").isPresent();
        if (to.isEmpty()) {
            return new Answer(errorBuilder(400, 21604, "A 'To' phone number is required."), false);
        }
        if (from.isEmpty() && service.isEmpty()) {
            return new Answer(errorBuilder(400, 21603, "A 'From' phone number is required."), false);
        }
        if (!hasContent) {
            return new Answer(errorBuilder(400, 21602, "Message body is required."), false);
        }
        boolean toWa = to.get().startsWith("whatsapp:");
        String toNumber = toWa ? to.get().substring(9) : to.get();
        if (!E164.matcher(toNumber).matches()) {
            return new Answer(errorBuilder(400, 21211, "Invalid 'To' Phone Number: " + to.get()), false);
        }
        if (from.isPresent()) {
            boolean fromWa = from.get().startsWith("whatsapp:");
            String fromNumber = fromWa ? from.get().substring(9) : from.get();
            if (!E164.matcher(fromNumber).matches()) {
                return new Answer(errorBuilder(400, 21212, "Invalid From Number (caller ID): " + from.get()), false);
            }
            if (fromWa != toWa) {
                return new Answer(errorBuilder(400, 21910,
                        "Invalid From and To pair. From and To should be of the same channel"), false);
            }
            Magic magicFrom = MAGIC_FROM.get(fromNumber);
            if (magicFrom != null) {
                return new Answer(errorBuilder(400, magicFrom.code(), magicFrom.message()), false);
            }
            if (!fromWa && !ownedSmsNumbers.contains(fromNumber)) {
                return new Answer(errorBuilder(400, 21606, "The From phone number " + fromNumber
                        + " is not a valid, SMS-capable inbound phone number or short code for your account."), false);
            }
            if (fromWa && fromNumber.equals(WhatsAppAddress.SANDBOX.phoneNumber().value())
                    && !sandboxMembers.contains(toNumber)) {
                return new Answer(errorBuilder(400, 63015, "Channel Sandbox can only send messages to phone numbers that"
                        + " have joined the Sandbox"), false);
            }
        }
        if (toWa && closedWindows.contains(toNumber) && form.first("ContentSid").isEmpty()) {
            return new Answer(errorBuilder(400, 63016, "Failed to send freeform message because you are outside the"
                    + " allowed window. If you are using WhatsApp, please use a Message Template."), false);
        }
        if (body.isPresent() && body.get().codePointCount(0, body.get().length()) > Message.MAX_BODY_LENGTH) {
            return new Answer(errorBuilder(400, 21617,
                    "The concatenated message body exceeds the 1600 character limit."), false);
        }
        Magic magicTo = MAGIC_TO.get(toNumber);
        if (magicTo != null) {
            return new Answer(errorBuilder(400, magicTo.code(), magicTo.message()), false);
        }
        if ("Trial".equals(accountType) && !verifiedNumbers.contains(toNumber)) {
            return new Answer(errorBuilder(400, 21608, "The number " + toNumber + " is unverified. Trial accounts"
                    + " cannot send messages to unverified numbers; verify " + toNumber + " in the Console,"
                    + " or purchase a Twilio number to send messages to unverified numbers"), false);
        }
        if (!"active".equals(accountStatus)) {
            return new Answer(errorBuilder(401, 20003, "Authenticate"), false);
        }
        ObjectNode message = storeMessage(form, to.get(), from.orElse(null), service.orElse(null), body.orElse(""));
        return new Answer(new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .body(message.toString()), true);
    }

    private record Magic(int code, String message) {}

    private record Answer(MockResponse.Builder response, boolean stored) {}

    private ObjectNode storeMessage(FormBody form, String to, String from, String service, String body) {
        String sid = "SM" + hex(16);
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(RFC_2822);
        ObjectNode m = JSON.createObjectNode();
        m.put("account_sid", accountSid.value());
        m.put("api_version", "2010-04-01");
        m.put("body", body);
        m.put("date_created", now);
        m.putNull("date_sent");
        m.put("date_updated", now);
        m.put("direction", "outbound-api");
        m.putNull("error_code");
        m.putNull("error_message");
        m.put("from", from);
        m.put("messaging_service_sid", service);
        m.put("num_media", Integer.toString(form.all("MediaUrl").size()));
        m.put("num_segments", Integer.toString(to.startsWith("whatsapp:") ? 1 : SegmentCount.of(body).segments()));
        m.putNull("price");
        m.put("price_unit", "USD");
        m.put("sid", sid);
        m.put("status", form.first("ScheduleType").isPresent() ? "scheduled" : service != null ? "accepted" : "queued");
        ObjectNode uris = m.putObject("subresource_uris");
        uris.put("media", "/2010-04-01/Accounts/" + accountSid.value() + "/Messages/" + sid + "/Media.json");
        m.put("to", to);
        m.put("uri", "/2010-04-01/Accounts/" + accountSid.value() + "/Messages/" + sid + ".json");
        messages.put(sid, m);
        sent.add(new SentMessage(sid, to, from != null ? from : service, form));
        return m;
    }

    private MockResponse update(String sid, FormBody form) {
        ObjectNode message = messages.get(sid);
        if (message == null) {
            return error(404, 20404, "The requested resource was not found");
        }
        Optional<String> status = form.first("Status");
        if (status.isPresent()) {
            if (!"canceled".equals(status.get()) || !"scheduled".equals(message.path("status").asText())) {
                return error(400, 21220, "Invalid parameter: only a scheduled message can be canceled");
            }
            synchronized (message) {
                message.put("status", "canceled");
            }
        }
        synchronized (message) {
            return json(200, message);
        }
    }

    private MockResponse list(RecordedRequest request, String path) {
        String to = request.getUrl().queryParameter("To");
        ArrayNode items = JSON.createArrayNode();
        for (SentMessage s : sent) {
            if (to == null || to.equals(s.to())) {
                ObjectNode message = messages.get(s.sid());
                synchronized (message) {
                    items.add(message.deepCopy());
                }
            }
        }
        return json(200, page("messages", items, path));
    }

    private MockResponse numbers(RecordedRequest request, String path) {
        String wanted = request.getUrl().queryParameter("PhoneNumber");
        ArrayNode items = JSON.createArrayNode();
        for (String number : ownedSmsNumbers) {
            if (wanted == null || wanted.equals(number)) {
                ObjectNode n = items.addObject();
                n.put("account_sid", accountSid.value());
                n.put("sid", "PN" + hex(16));
                n.put("phone_number", number);
                n.put("friendly_name", number);
                ObjectNode caps = n.putObject("capabilities");
                caps.put("sms", true);
                caps.put("mms", true);
                caps.put("voice", true);
                caps.put("fax", false);
            }
        }
        return json(200, page("incoming_phone_numbers", items, path));
    }

    private ObjectNode page(String key, ArrayNode items, String path) {
        ObjectNode p = JSON.createObjectNode();
        p.set(key, items);
        p.put("end", Math.max(0, items.size() - 1));
        p.put("first_page_uri", path + "?PageSize=50&Page=0");
        p.putNull("next_page_uri");
        p.put("page", 0);
        p.put("page_size", 50);
        p.putNull("previous_page_uri");
        p.put("start", 0);
        p.put("uri", path + "?PageSize=50&Page=0");
        return p;
    }

    private ObjectNode account() {
        ObjectNode a = JSON.createObjectNode();
        a.put("sid", accountSid.value());
        a.put("friendly_name", "Fake Twilio account");
        a.put("status", accountStatus);
        a.put("type", accountType);
        a.putNull("owner_account_sid");
        a.put("date_created", ZonedDateTime.now(ZoneOffset.UTC).format(RFC_2822));
        a.put("uri", "/2010-04-01/Accounts/" + accountSid.value() + ".json");
        return a;
    }

    private static MockResponse json(int status, ObjectNode body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body(body.toString()).build();
    }

    private static MockResponse error(int status, int code, String message) {
        return errorBuilder(status, code, message).build();
    }

    private static MockResponse.Builder errorBuilder(int status, int code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        e.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        e.put("status", status);
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body(e.toString());
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "FakeTwilio[" + baseUrl() + ", account=" + accountSid + "]";
    }
}
