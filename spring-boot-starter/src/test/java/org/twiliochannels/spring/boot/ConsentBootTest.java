package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.consent.ConsentState;
import org.twiliochannels.core.consent.RecipientOptedOutException;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.WebhookSigner;

/**
 * Consent in a running Boot application against the fake Twilio on loopback: a signed STOP to the
 * webhook endpoint makes the injected channel refuse that number without a request, START lifts
 * it, and a status callback with 21610 opts the recipient out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = ConsentBootTest.App.class,
        properties = {"twilio.retry.settle-from-log=false"})
@Timeout(60)
class ConsentBootTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void twilio(DynamicPropertyRegistry registry) {
        registry.add("twilio.account-sid", () -> TWILIO.accountSid().value());
        registry.add("twilio.auth-token", () -> TWILIO.authToken().revealSecret());
        registry.add("twilio.api-base-url", () -> TWILIO.baseUrl().toString());
        registry.add("twilio.phone-number", FakeTwilio.DEFAULT_SMS_NUMBER::value);
    }

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    /** An application with nothing of its own: the starter's defaults. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @LocalServerPort
    int port;
    @Autowired
    TwilioAccount account;
    @Autowired
    ConsentLedger ledger;
    @Autowired
    @Qualifier("sms")
    Channel sms;

    @Test
    void aSignedStopMakesTheInjectedChannelRefuseThatNumberWithoutARequest() throws Exception {
        String person = "+14155550140";
        assertEquals(200, inbound(person, "stop").statusCode());

        int before = TWILIO.createRequests().size();
        RecipientOptedOutException e = assertThrows(RecipientOptedOutException.class,
                () -> sms.send(Message.text(person, "Your appointment is tomorrow at 10")));
        assertTrue(e.getMessage().contains("by replying STOP"), e.getMessage());
        assertEquals(before, TWILIO.createRequests().size(), "no request for an opted-out recipient");
        assertSame(ledger, account.consentLedger().orElseThrow(), "the channels check the ledger bean");

        assertEquals(200, inbound(person, "START").statusCode());
        sms.send(Message.text(person, "Welcome back"));
        assertEquals(1, TWILIO.sentTo(Address.parse(person)).size());
    }

    @Test
    void aStatusCallbackWith21610OptsTheRecipientOut() throws Exception {
        String person = "+14155550141";
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of(sid()));
        form.put("AccountSid", List.of(TWILIO.accountSid().value()));
        form.put("From", List.of(FakeTwilio.DEFAULT_SMS_NUMBER.value()));
        form.put("To", List.of(person));
        form.put("MessageStatus", List.of("failed"));
        form.put("ErrorCode", List.of("21610"));
        form.put("ApiVersion", List.of("2010-04-01"));
        assertEquals(200, post("/twilio/status", form).statusCode());

        ConsentScope scope = ConsentScope.sender(AccountSid.of(TWILIO.accountSid().value()), "sms",
                FakeTwilio.DEFAULT_SMS_NUMBER);
        var change = ledger.status(scope, PhoneNumber.of(person)).orElseThrow();
        assertEquals(ConsentState.OPTED_OUT, change.state());
        assertInstanceOf(ConsentSource.Error21610.class, change.source());
        int before = TWILIO.createRequests().size();
        assertThrows(RecipientOptedOutException.class, () -> sms.send(Message.text(person, "hi")));
        assertEquals(before, TWILIO.createRequests().size());
    }

    private HttpResponse<String> inbound(String from, String body) throws IOException, InterruptedException {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of(sid()));
        form.put("AccountSid", List.of(TWILIO.accountSid().value()));
        form.put("From", List.of(from));
        form.put("To", List.of(FakeTwilio.DEFAULT_SMS_NUMBER.value()));
        form.put("Body", List.of(body));
        form.put("NumMedia", List.of("0"));
        form.put("ApiVersion", List.of("2010-04-01"));
        return post("/twilio/inbound", form);
    }

    private static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }

    private HttpResponse<String> post(String path, Map<String, List<String>> form) throws IOException, InterruptedException {
        String url = "http://localhost:" + port + path;
        StringBuilder body = new StringBuilder();
        form.forEach((k, values) -> values.forEach(v -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Twilio-Signature", new WebhookSigner(TWILIO.authToken().revealSecret()).sign(url, form))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
