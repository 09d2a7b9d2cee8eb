package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.twiliochannels.core.AccountResolver;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.ApiKeySid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.TwilioCredentials;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.MultiAccountWebhookVerifier;
import org.twiliochannels.core.webhook.WebhookRejectedException;
import org.twiliochannels.core.webhook.WebhookRequest;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.WebhookSigner;

/** Which token verifies webhooks, the public base URL, the listeners told, and when the endpoints exist. */
@org.junit.jupiter.api.Timeout(30)
class WebhookWiringTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();
    private static final AccountSid SID = AccountSid.of("AC0123456789abcdef0123456789abcdee");
    private static final String TOKEN = "0123456789abcdef0123456789abcdee";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwilioAutoConfiguration.class,
                    TwilioWebhookAutoConfiguration.class));

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    private static Map<String, List<String>> form() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("MessageSid", List.of("SM0123456789abcdef0123456789abcdef"));
        form.put("From", List.of("+14155550100"));
        form.put("To", List.of("+15005550006"));
        form.put("Body", List.of("Hi"));
        form.put("NumMedia", List.of("0"));
        form.put("AccountSid", List.of(SID.value()));
        form.put("ApiVersion", List.of("2010-04-01"));
        return form;
    }

    @Test
    void verifiesAgainstThePublicBaseUrlAndTellsTheListeners() {
        List<WebhookVerified> told = new CopyOnWriteArrayList<>();
        TwilioEventListener listener = new TwilioEventListener() {
            @Override
            public void webhookVerified(WebhookVerified event) {
                told.add(event);
            }
        };
        WebhookGate gate = new WebhookGate(SID, AuthToken.of(TOKEN), Optional.of(URI.create("https://sms.example.com")),
                List.of(listener));
        String signature = new WebhookSigner(TOKEN).sign("https://sms.example.com/twilio/inbound", form());

        assertInstanceOf(InboundMessage.class, gate.verify(
                WebhookRequest.ofForm("http://10.0.0.7:8080/twilio/inbound", form(), signature)));
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class, () -> gate.verify(
                WebhookRequest.ofForm("http://10.0.0.7:8080/twilio/status", form(), signature)));
        assertEquals(WebhookRejectedException.Reason.INVALID_SIGNATURE, e.reason());
        assertEquals(List.of(new WebhookVerified("inbound", true, ""),
                new WebhookVerified("inbound", false, "bad signature")), told);
    }

    @Test
    void theAuthTokenVerifiesEvenWhenAnApiKeyAuthenticates() {
        TwilioCredentials apiKey = TwilioCredentials.ofApiKey(SID, ApiKeySid.of("SK0123456789abcdef0123456789abcdee"),
                ApiKeySecret.of("abcdefghijklmnopqrstuvwxyz012345"));
        TwilioProperties withToken = new TwilioProperties();
        withToken.setAuthToken(TOKEN);
        assertEquals(TOKEN, TwilioWebhookAutoConfiguration.authToken(apiKey, withToken).revealSecret());
        assertEquals(TOKEN, TwilioWebhookAutoConfiguration.authToken(TwilioCredentials.of(SID, AuthToken.of(TOKEN)),
                new TwilioProperties()).revealSecret());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TwilioWebhookAutoConfiguration.authToken(apiKey, new TwilioProperties()));
        assertTrue(e.getMessage().contains("set twilio.auth-token (TWILIO_AUTH_TOKEN) too, or twilio.webhooks.enabled=false"),
                e.getMessage());
    }

    /** A platform with an account of its own and one tenant in its token store. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OneTenant {
        @org.springframework.context.annotation.Bean
        AccountResolver tenants() {
            return sid -> Optional.empty();
        }

        @org.springframework.context.annotation.Bean
        MultiAccountWebhookVerifier.AuthTokens tenantTokens() {
            return sid -> sid.equals(SID) ? Optional.of(AuthToken.of(TOKEN)) : Optional.empty();
        }
    }

    private static Map<String, List<String>> form(AccountSid account) {
        Map<String, List<String>> form = form();
        form.put("AccountSid", List.of(account.value()));
        return form;
    }

    @Test
    void withAnAccountOfItsOwnAndTenantsEachIsVerifiedWithItsToken() {
        runner.withConfiguration(AutoConfigurations.of(TwilioAccountsAutoConfiguration.class))
                .withUserConfiguration(OneTenant.class)
                .withPropertyValues("twilio.account-sid=" + TWILIO.accountSid().value(),
                        "twilio.auth-token=" + TWILIO.authToken().revealSecret(),
                        "twilio.api-base-url=" + TWILIO.baseUrl(), "twilio.phone-number=+15005550006",
                        "twilio.webhooks.public-base-url=https://sms.example.com")
                .run(context -> {
                    WebhookGate gate = context.getBean(WebhookGate.class);
                    String url = "https://sms.example.com/twilio/inbound";
                    Map<String, List<String>> own = form(TWILIO.accountSid());
                    assertEquals(Optional.of(TWILIO.accountSid()), gate.verify(WebhookRequest.ofForm(
                            "http://10.0.0.7:8080/twilio/inbound", own,
                            new WebhookSigner(TWILIO.authToken().revealSecret()).sign(url, own))).accountSid());
                    assertEquals(Optional.of(SID), gate.verify(WebhookRequest.ofForm(
                            "http://10.0.0.7:8080/twilio/inbound", form(),
                            new WebhookSigner(TOKEN).sign(url, form()))).accountSid());
                    Map<String, List<String>> forged = form(TWILIO.accountSid());
                    assertEquals(WebhookRejectedException.Reason.INVALID_SIGNATURE, assertThrows(
                            WebhookRejectedException.class, () -> gate.verify(WebhookRequest.ofForm(url, forged,
                                    new WebhookSigner(TOKEN).sign(url, forged)))).reason());
                    Map<String, List<String>> stranger = form(AccountSid.of("AC" + "d".repeat(32)));
                    assertEquals(WebhookRejectedException.Reason.UNKNOWN_ACCOUNT, assertThrows(
                            WebhookRejectedException.class, () -> gate.verify(WebhookRequest.ofForm(url, stranger,
                                    new WebhookSigner(TOKEN).sign(url, stranger)))).reason());
                });
    }

    @Test
    void endpointsExistUnlessDisabled() {
        String[] fake = {"twilio.account-sid=" + TWILIO.accountSid().value(),
                "twilio.auth-token=" + TWILIO.authToken().revealSecret(), "twilio.api-base-url=" + TWILIO.baseUrl(),
                "twilio.phone-number=+15005550006"};
        runner.withPropertyValues(fake).run(context -> {
            assertNotNull(context.getBean(TwilioWebhookController.class));
            assertEquals(0, context.getBean(RecentDeliveries.class).size());
        });
        runner.withPropertyValues(fake).withPropertyValues("twilio.webhooks.enabled=false")
                .run(context -> assertTrue(context.getBeansOfType(TwilioWebhookController.class).isEmpty()));
        runner.withPropertyValues(fake).withPropertyValues("twilio.webhooks.deduplication-capacity=0")
                .run(context -> {
                    Throwable t = context.getStartupFailure();
                    while (t != null && !(t instanceof IllegalArgumentException)) {
                        t = t.getCause();
                    }
                    assertNotNull(t, String.valueOf(context.getStartupFailure()));
                    assertTrue(t.getMessage().contains("twilio.webhooks.deduplication-capacity must be at least 1"));
                });
    }
}
