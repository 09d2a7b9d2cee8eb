package org.twiliochannels.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.AuthToken;
import org.twiliochannels.core.event.TwilioEventListener;
import org.twiliochannels.core.event.WebhookVerified;
import org.twiliochannels.core.webhook.WebhookRejectedException.Reason;

/** One endpoint for many accounts: each request verified with the token of the account it names. */
class MultiAccountWebhookVerifierTest {
    private static final String URL = Webhooks.URL;
    private static final String A = "AC" + "a".repeat(32);
    private static final String B = "AC" + "b".repeat(32);
    private static final String TOKEN_A = "1".repeat(32);
    private static final String TOKEN_B = "2".repeat(32);
    private static final String TOKEN_A2 = "3".repeat(32);

    private final Map<AccountSid, AuthToken> store = new ConcurrentHashMap<>(Map.of(
            AccountSid.of(A), AuthToken.of(TOKEN_A), AccountSid.of(B), AuthToken.of(TOKEN_B)));

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Map<String, String> inboundFor(String account) {
        Map<String, String> p = Webhooks.smsInbound("hello");
        p.put("AccountSid", account);
        return p;
    }

    private static WebhookRequest signed(String token, Map<String, String> p) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        p.forEach((k, v) -> multi.put(k, List.of(v)));
        return WebhookRequest.ofForm(URL, multi, Webhooks.sdkSignature(token, URL, p));
    }

    @Test
    void eachRequestIsVerifiedWithTheTokenOfTheAccountItNames() {
        List<WebhookVerified> events = new ArrayList<>();
        MultiAccountWebhookVerifier verifier = MultiAccountWebhookVerifier.builder(sid -> Optional.ofNullable(store.get(sid)))
                .listener(new TwilioEventListener() {
                    @Override
                    public void webhookVerified(WebhookVerified event) {
                        events.add(event);
                    }
                }).build();
        InboundMessage a = assertInstanceOf(InboundMessage.class, verifier.verify(signed(TOKEN_A, inboundFor(A))));
        InboundMessage b = assertInstanceOf(InboundMessage.class, verifier.verify(signed(TOKEN_B, inboundFor(B))));
        assertEquals("hello", a.body());
        assertEquals("hello", b.body());

        WebhookRejectedException forged = assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A, inboundFor(B))));
        assertEquals(Reason.INVALID_SIGNATURE, forged.reason(), "B's request signed with A's token: " + forged.getMessage());
        assertTrue(forged.getMessage().endsWith("check that the auth token is that of " + B), forged.getMessage());
        assertEquals(3, events.size(), "one event per request");
        assertEquals("bad signature", events.get(2).reason());
    }

    @Test
    void anAccountTheStoreDoesNotKnowIsRejectedWithItsReason() {
        String unknown = "AC" + "c".repeat(32);
        MultiAccountWebhookVerifier verifier = MultiAccountWebhookVerifier.builder(sid -> Optional.ofNullable(store.get(sid)))
                .build();
        WebhookRejectedException e = assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A, inboundFor(unknown))));
        assertEquals(Reason.UNKNOWN_ACCOUNT, e.reason());
        assertEquals("unknown account", e.reason().tag());
        assertEquals(Optional.of("AccountSid"), e.field());
        assertEquals("account " + unknown + " is not known to this application's token store; the request is not"
                + " verified. Add the account to the store, or remove this webhook URL from the account's numbers.",
                e.getMessage());

        MultiAccountWebhookVerifier broken = MultiAccountWebhookVerifier.builder(sid -> {
            throw new java.sql.SQLException("store down");
        }).build();
        WebhookRejectedException down = assertThrows(WebhookRejectedException.class,
                () -> broken.verify(signed(TOKEN_A, inboundFor(A))));
        assertEquals(Reason.UNKNOWN_ACCOUNT, down.reason());
        assertEquals("the auth token of account " + A + " could not be looked up (the store threw"
                + " java.sql.SQLException), so the request cannot be verified; Twilio may deliver it again",
                down.getMessage());

        Map<String, String> noAccount = inboundFor(A);
        noAccount.remove("AccountSid");
        assertEquals(Reason.BAD_FIELD, assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A, noAccount))).reason());
        Map<String, String> notASid = inboundFor("ACxyz");
        assertEquals("AccountSid is not an Account SID (AC and 32 hex digits), as Twilio writes it",
                assertThrows(WebhookRejectedException.class, () -> verifier.verify(signed(TOKEN_A, notASid))).getMessage());
    }

    @Test
    void duringARotationTheOldTokenIsAcceptedForTheOverlapOnly() {
        TestClock clock = new TestClock();
        MultiAccountWebhookVerifier verifier = MultiAccountWebhookVerifier.builder(sid -> Optional.ofNullable(store.get(sid)))
                .rotationOverlap(Duration.ofMinutes(30)).clock(clock).build();
        verifier.verify(signed(TOKEN_A, inboundFor(A)));

        store.put(AccountSid.of(A), AuthToken.of(TOKEN_A2));
        clock.now = clock.now.plusSeconds(60);
        verifier.verify(signed(TOKEN_A2, inboundFor(A)));
        verifier.verify(signed(TOKEN_A, inboundFor(A)));

        clock.now = clock.now.plus(Duration.ofMinutes(30));
        WebhookRejectedException late = assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A, inboundFor(A))));
        assertEquals(Reason.INVALID_SIGNATURE, late.reason(), "after the overlap the old token is refused");
        verifier.verify(signed(TOKEN_A2, inboundFor(A)));
        assertEquals(Reason.INVALID_SIGNATURE, assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A2, inboundFor(B)))).reason(), "a rotation of A does not open B");
    }

    @Test
    void aRotationMadeWhileNotRunningIsToldAndHeldForTheOverlap() {
        TestClock clock = new TestClock();
        store.put(AccountSid.of(A), AuthToken.of(TOKEN_A2));
        MultiAccountWebhookVerifier verifier = MultiAccountWebhookVerifier.builder(sid -> Optional.ofNullable(store.get(sid)))
                .rotationOverlap(Duration.ofMinutes(5)).clock(clock).build();
        assertEquals(Reason.INVALID_SIGNATURE, assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A, inboundFor(A)))).reason());
        verifier.rotated(AccountSid.of(A), AuthToken.of(TOKEN_A));
        verifier.verify(signed(TOKEN_A, inboundFor(A)));
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertEquals(Reason.INVALID_SIGNATURE, assertThrows(WebhookRejectedException.class,
                () -> verifier.verify(signed(TOKEN_A, inboundFor(A)))).reason());
        assertTrue(!verifier.toString().contains(TOKEN_A) && !verifier.toString().contains(TOKEN_A2), verifier.toString());
    }

    @Test
    void badSettingsAreRefusedWithTheFieldAndTheFix() {
        MultiAccountWebhookVerifier.Builder b = MultiAccountWebhookVerifier.builder(sid -> Optional.empty());
        assertEquals("rotationOverlap is PT-1S; it must be zero or more, e.g. Duration.ofHours(1)",
                assertThrows(IllegalArgumentException.class, () -> b.rotationOverlap(Duration.ofSeconds(-1))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.publicBaseUrl(java.net.URI.create("ftp://x")))
                .getMessage().startsWith("publicBaseUrl \"ftp://x\" must be an absolute https or http URL"));
    }
}
