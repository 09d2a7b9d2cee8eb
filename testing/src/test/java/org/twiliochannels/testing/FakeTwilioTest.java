package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.Account;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;

/** The fake, driven by the real Twilio SDK, answers as Twilio does. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeTwilioTest {
    private FakeTwilio twilio;
    private TwilioRestClient client;

    @BeforeEach
    void start() {
        twilio = FakeTwilio.start();
        client = clientWith(twilio.authToken().revealSecret());
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    private TwilioRestClient clientWith(String token) {
        return new TwilioRestClient.Builder(twilio.accountSid().value(), token)
                .httpClient(new SdkHttpClient(twilio.baseUrl())).build();
    }

    private static org.twiliochannels.core.PhoneNumber number(String e164) {
        return org.twiliochannels.core.PhoneNumber.of(e164);
    }

    private int codeOf(Runnable r) {
        return assertThrows(ApiException.class, r::run).getCode();
    }

    private Message sms(String to, String body) {
        return Message.creator(new PhoneNumber(to), new PhoneNumber("+15005550006"), body).create(client);
    }

    @Test
    void createsFetchesAndListsMessagesInTwiliosShapes() {
        Message created = sms("+14155551234", "hello");
        assertTrue(created.getSid().matches("SM[0-9a-f]{32}"), created.getSid());
        assertEquals(Message.Status.QUEUED, created.getStatus());
        assertEquals("1", created.getNumSegments());
        assertEquals("+14155551234", created.getTo());
        assertEquals(created.getSid(), Message.fetcher(created.getSid()).fetch(client).getSid());
        List<Message> listed = StreamSupport.stream(Message.reader().read(client).spliterator(), false).toList();
        assertEquals(List.of(created.getSid()), listed.stream().map(Message::getSid).toList());
    }

    @Test
    void wrongTokenGets20003() {
        TwilioRestClient wrong = clientWith("feedfacefeedfacefeedfacefeedface");
        ApiException e = assertThrows(ApiException.class,
                () -> Message.creator(new PhoneNumber("+14155551234"), new PhoneNumber("+15005550006"), "x").create(wrong));
        assertEquals(20003, e.getCode());
        assertEquals(401, e.getStatusCode());
        assertEquals(0, twilio.sent().size());
    }

    @Test
    void apiKeyCredentialsAreAcceptedForTheSameAccount() {
        TwilioRestClient withKey = new TwilioRestClient.Builder(twilio.apiKeyCredentials().username(),
                twilio.apiKeyCredentials().revealPassword()).accountSid(twilio.accountSid().value())
                .httpClient(new SdkHttpClient(twilio.baseUrl())).build();
        Message m = Message.creator(new PhoneNumber("+14155551234"), new PhoneNumber("+15005550006"), "x").create(withKey);
        assertEquals(Message.Status.QUEUED, m.getStatus());
    }

    @Test
    void magicTestNumbersFailAsDocumented() {
        assertEquals(21211, codeOf(() -> sms("+15005550001", "x")));
        assertEquals(21612, codeOf(() -> sms("+15005550002", "x")));
        assertEquals(21408, codeOf(() -> sms("+15005550003", "x")));
        assertEquals(21610, codeOf(() -> sms("+15005550004", "x")));
        assertEquals(21614, codeOf(() -> sms("+15005550009", "x")));
        for (Map.Entry<String, Integer> from : Map.of("+15005550001", 21212, "+15005550007", 21606,
                "+15005550008", 21611).entrySet()) {
            assertEquals(from.getValue(), codeOf(() -> Message.creator(new PhoneNumber("+14155551234"),
                    new PhoneNumber(from.getKey()), "x").create(client)), from.getKey());
        }
        assertEquals(0, twilio.sent().size());
    }

    @Test
    void validatesRequestsAsTwilioDoes() {
        assertEquals(21211, codeOf(() -> sms("4155551234", "x")));
        assertEquals(21617, codeOf(() -> sms("+14155551234", "x".repeat(1601))));
        assertEquals(21910, codeOf(() -> Message.creator(new PhoneNumber("whatsapp:+14155551234"),
                new PhoneNumber("+15005550006"), "x").create(client)));
        assertEquals(21606, codeOf(() -> Message.creator(new PhoneNumber("+14155551234"),
                new PhoneNumber("+14155550000"), "x").create(client)));
        assertEquals(63015, codeOf(() -> Message.creator(new PhoneNumber("whatsapp:+14155551234"),
                new PhoneNumber("whatsapp:+14155238886"), "x").create(client)));
        twilio.joinSandbox(number("+14155551234")).closeSessionWindow(number("+14155551234"));
        assertEquals(63016, codeOf(() -> Message.creator(new PhoneNumber("whatsapp:+14155551234"),
                new PhoneNumber("whatsapp:+14155238886"), "x").create(client)));
        Message template = Message.creator(new PhoneNumber("whatsapp:+14155551234"),
                new PhoneNumber("whatsapp:+14155238886"), (String) null)
                .setContentSid("HX0123456789abcdef0123456789abcdef").create(client);
        assertEquals(Message.Status.QUEUED, template.getStatus());
        twilio.trialAccount();
        assertEquals(21608, codeOf(() -> sms("+14155559999", "x")));
        twilio.verify(number("+14155559999"));
        assertEquals(Message.Status.QUEUED, sms("+14155559999", "x").getStatus());
    }

    @Test
    void accountAndPhoneNumbersAnswerTheSdk() {
        twilio.trialAccount();
        Account account = Account.fetcher(twilio.accountSid().value()).fetch(client);
        assertEquals(Account.Type.TRIAL, account.getType());
        assertEquals(Account.Status.ACTIVE, account.getStatus());
        List<IncomingPhoneNumber> owned = new ArrayList<>();
        IncomingPhoneNumber.reader().setPhoneNumber(new PhoneNumber("+15005550006")).read(client).forEach(owned::add);
        assertEquals(1, owned.size());
        assertTrue(owned.get(0).getCapabilities().getSms());
        List<IncomingPhoneNumber> none = new ArrayList<>();
        IncomingPhoneNumber.reader().setPhoneNumber(new PhoneNumber("+14155550000")).read(client).forEach(none::add);
        assertEquals(0, none.size());
    }

    @Test
    void rateLimitFaultCarriesRetryAfterAndIsNotStored() {
        twilio.failNext(Fault.rateLimited(java.time.Duration.ofSeconds(2)));
        ApiException e = assertThrows(ApiException.class, () -> sms("+14155551234", "x"));
        assertEquals(20429, e.getCode());
        assertEquals(0, twilio.sent().size());
        assertEquals(1, twilio.createRequests().size());
        assertEquals(Fault.Kind.RATE_LIMITED, twilio.createRequests().get(0).fault().orElseThrow().kind());
        sms("+14155551234", "x");
        assertEquals(1, twilio.sent().size());
    }

    @Test
    void redirectFaultAnswersItsStatusAndALocationAndCreatesNothing() throws Exception {
        twilio.failNext(Fault.redirect(302));
        String basic = java.util.Base64.getEncoder().encodeToString((twilio.accountSid().value() + ":"
                + twilio.authToken().revealSecret()).getBytes(StandardCharsets.UTF_8));
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(twilio.baseUrl() + "/2010-04-01/Accounts/"
                                + twilio.accountSid().value() + "/Messages.json"))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("To=%2B14155551234&From="
                                + java.net.URLEncoder.encode(FakeTwilio.DEFAULT_SMS_NUMBER.value(), StandardCharsets.UTF_8)
                                + "&Body=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode());
        assertTrue(answer.headers().firstValue("Location").orElseThrow().startsWith("https://login.example.invalid/"));
        assertEquals(0, twilio.sent().size());
        assertEquals(Fault.Kind.REDIRECT, twilio.createRequests().get(0).fault().orElseThrow().kind());
        assertEquals(302, twilio.requests().get(twilio.requests().size() - 1).status());
        IllegalArgumentException notARedirect = assertThrows(IllegalArgumentException.class, () -> Fault.redirect(304));
        assertEquals("status must be a redirect (301, 302, 303, 307 or 308), was 304", notARedirect.getMessage());
    }

    @Test
    void faultForOneRecipientLeavesOthersAlone() {
        twilio.failFor(number("+14155550001"), Fault.serverError(503));
        assertThrows(ApiException.class, () -> sms("+14155550001", "x"));
        sms("+14155551234", "x");
        assertEquals(1, twilio.sent().size());
    }

    @Test
    void assertionsFindMessagesAndReportWhatElseWasSent() {
        sms("+14155551234", "Your table is ready");
        sms("+14155550000", "Another");
        SentMessage m = twilio.assertSent(Match.to("+14155551234").channel("sms").bodyContaining("table"));
        assertEquals("Your table is ready", m.body().orElseThrow());
        AssertionError missing = assertThrows(AssertionError.class,
                () -> twilio.assertSent(Match.to("+14155551234").body("Your table is ready")));
        assertTrue(missing.getMessage().startsWith("Expected a message with to +14155551234, body \"Your table is ready\""
                + " to have been sent, but the messages sent were:"), missing.getMessage());
        AssertionError others = assertThrows(AssertionError.class, twilio::assertNothingElseSent);
        assertTrue(others.getMessage().contains("sms to +14155550000 body \"Another\""), others.getMessage());
        twilio.assertSent(Match.any());
        twilio.assertNothingElseSent();
    }

    @Test
    void lifecyclePostsStatusCallbacksSignedForTheSdkValidator() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        List<Boolean> valid = new CopyOnWriteArrayList<>();
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/twilio/status?tenant=a%20b";
        RequestValidator validator = new RequestValidator(twilio.authToken().revealSecret());
        server.createContext("/twilio/status", exchange -> {
            Map<String, String> params = new HashMap<>();
            FormBody.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).asMap()
                    .forEach((k, v) -> params.put(k, v.get(0)));
            received.add(params);
            valid.add(validator.validate(url, params, exchange.getRequestHeaders().getFirst("X-Twilio-Signature")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            Message m = Message.creator(new PhoneNumber("+14155551234"), new PhoneNumber("+15005550006"), "hi")
                    .setStatusCallback(URI.create(url)).create(client);
            twilio.deliver(MessageSid.of(m.getSid()));
            assertEquals(204, twilio.fail(MessageSid.of(m.getSid()), MessageStatus.UNDELIVERED, 30003));
        } finally {
            server.stop(0);
        }
        assertEquals(List.of("sent", "delivered", "undelivered"), received.stream().map(p -> p.get("MessageStatus")).toList());
        assertEquals(List.of(true, true, true), valid);
        assertEquals("30003", received.get(2).get("ErrorCode"));
        assertEquals("+14155551234", received.get(0).get("To"));
    }
}
