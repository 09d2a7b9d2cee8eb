package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.testsupport.TestValues;

class TwilioConfigTest {
    private static TwilioConfig.Builder base() {
        return TwilioConfig.builder().credentials(TestValues.credentials());
    }

    @Test
    void defaultsToTwilioApiWithDocumentedTimeouts() {
        TwilioConfig c = base().build();
        assertEquals(URI.create("https://api.twilio.com"), c.apiBaseUrl());
        assertFalse(c.usesCustomApiBaseUrl());
        assertEquals(Duration.ofSeconds(5), c.connectTimeout());
        assertEquals(Duration.ofSeconds(15), c.readTimeout());
        assertEquals(Duration.ofSeconds(30), c.sendDeadline());
        assertEquals(4, c.retryPolicy().maxAttempts());
        assertFalse(c.retryPolicy().retryAmbiguousFailures());
    }

    @Test
    void plainHttpIsAllowedForLoopbackOnly() {
        assertEquals(URI.create("http://127.0.0.1:8080/prefix"),
                base().apiBaseUrl(URI.create("http://127.0.0.1:8080/prefix/")).build().apiBaseUrl());
        assertTrue(base().apiBaseUrl(URI.create("http://localhost:1")).build().usesCustomApiBaseUrl());
        base().apiBaseUrl(URI.create("http://[::1]:8080")).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> base().apiBaseUrl(URI.create("http://proxy.example.com:8080")).build());
        assertEquals("apiBaseUrl \"http://proxy.example.com:8080\" uses plain http for a host that is not loopback"
                + " (localhost, 127.x.x.x or [::1], written as such: names are not looked up), which would send"
                + " credentials unencrypted; use https, or call allowInsecureHttp(true) if this is intended.",
                e.getMessage());
        base().apiBaseUrl(URI.create("http://proxy.example.com:8080")).allowInsecureHttp(true).build();
        base().apiBaseUrl(URI.create("https://proxy.example.com")).build();
    }

    @Test
    void apiBaseUrlMustBeAbsoluteHttpWithoutQuery() {
        assertEquals("apiBaseUrl \"ftp://x\" must be an absolute http or https URL, e.g. https://example.com/path",
                assertThrows(IllegalArgumentException.class, () -> base().apiBaseUrl(URI.create("ftp://x"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> base().apiBaseUrl(URI.create("https://x.example/?a=b")));
    }

    @Test
    void credentialsAreRequired() {
        assertEquals("credentials are required: call credentials(AccountSid, AuthToken) or use TwilioEnvironment.load()"
                + " to read TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                assertThrows(IllegalStateException.class, () -> TwilioConfig.builder().build()).getMessage());
    }

    @Test
    void toStringHasNoSecret() {
        String s = base().build().toString();
        assertFalse(s.contains(TestValues.AUTH_TOKEN), s);
        assertTrue(s.contains(TestValues.ACCOUNT_SID), s);
    }

    @Test
    void newBuilderKeepsEveryValue() {
        TwilioConfig c = base().smsFrom(PhoneNumber.of("+15005550006")).sendDeadline(Duration.ofSeconds(3))
                .maxConcurrentRequests(3).build();
        TwilioConfig copy = c.newBuilder().build();
        assertEquals(c.toString(), copy.toString());
    }

    @Test
    void refusesAStatusCallbackOrBaseUrlFarTooLongBeforeParsingIt() {
        URI huge = URI.create("https://example.com/" + "a".repeat(200_000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base().statusCallback(huge));
        assertEquals("statusCallback is too long (200020 characters, at most 4096);"
                + " give the URL itself, e.g. https://example.com/path", e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> base().apiBaseUrl(huge));
        assertTrue(b.getMessage().contains("is too long (200020 characters, at most 4096)"), b.getMessage());
        base().statusCallback(URI.create("https://example.com/" + "a".repeat(4096 - 20)));
    }
}
