package org.twiliochannels.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.OutsideSessionWindowException;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.core.whatsapp.SessionWindow;
import org.twiliochannels.core.whatsapp.SessionWindows;
import org.twiliochannels.testing.FormBody;

/** The 24-hour window known before sending: the account's {@link SessionWindows} decide free-form or template. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KnownWindowTest {
    private static final String SID = "SM11111111111111111111111111111111";
    private static final ContentSid CONTENT = ContentSid.of("HX0123456789abcdef0123456789abcdef");
    private static final WhatsAppAddress FROM = WhatsAppAddress.of("whatsapp:+15005550006");
    private static final WhatsAppAddress PERSON = WhatsAppAddress.of("whatsapp:" + TestValues.TO);
    private static final String WINDOW_CLOSED = "Failed to send freeform message because you are outside the allowed window.";

    @StartStop
    private final MockWebServer server = new MockWebServer();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-02T09:00:00Z"));
    private final SessionWindows windows = SessionWindows.inMemory(new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    private TwilioAccount account() {
        return TwilioAccount.builder(TwilioConfig.builder().credentials(TestValues.credentials()).whatsAppFrom(FROM)
                .apiBaseUrl(server.url("/").uri()).build()).sessionWindows(windows).build();
    }

    private static Message withFallback() {
        return Message.builder().to(TestValues.TO).body("Your order shipped")
                .fallbackTemplate(Template.numbered(CONTENT, "1042")).build();
    }

    private FormBody request() throws InterruptedException {
        return FormBody.parse(server.takeRequest().getBody().utf8());
    }

    @Test
    void insideTheWindowTheFreeFormTextGoesOut() throws Exception {
        windows.inbound(PERSON, FROM);
        now.set(now.get().plus(Duration.ofHours(23)));
        server.enqueue(TwilioJson.created(SID, PERSON.value(), FROM.value(), "queued", "1"));
        try (TwilioAccount account = account()) {
            account.channel("whatsapp").send(withFallback());
        }
        assertEquals("Your order shipped", request().first("Body").orElseThrow());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void outsideTheWindowTheTemplateGoesOutWithoutAFailedAttempt() throws Exception {
        windows.inbound(PERSON, FROM);
        now.set(now.get().plus(Duration.ofHours(24)));
        assertEquals(SessionWindow.Status.CLOSED, windows.window(PERSON, FROM).status());
        server.enqueue(TwilioJson.created(SID, PERSON.value(), FROM.value(), "queued", "1"));
        try (TwilioAccount account = account()) {
            assertEquals(SID, account.channel("whatsapp").send(withFallback()).sid().value());
        }
        FormBody only = request();
        assertEquals(CONTENT.value(), only.first("ContentSid").orElseThrow());
        assertTrue(only.first("Body").isEmpty(), only.toString());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void unknownTriesFreeFormThenTheTemplateAndLearns() throws Exception {
        server.enqueue(TwilioJson.error(400, 63016, WINDOW_CLOSED));
        server.enqueue(TwilioJson.created(SID, PERSON.value(), FROM.value(), "queued", "1"));
        server.enqueue(TwilioJson.created(SID, PERSON.value(), FROM.value(), "queued", "1"));
        try (TwilioAccount account = account()) {
            Channel whatsapp = account.channel("whatsapp");
            whatsapp.send(withFallback());
            assertTrue(windows.window(PERSON, FROM).isClosed());
            whatsapp.send(withFallback());
        }
        assertEquals("Your order shipped", request().first("Body").orElseThrow());
        assertEquals(CONTENT.value(), request().first("ContentSid").orElseThrow());
        assertEquals(CONTENT.value(), request().first("ContentSid").orElseThrow()); // learnt: no second 63016
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void aNewMessageFromThePersonOpensALearntWindowAgain() throws Exception {
        windows.refused(PERSON, FROM);
        now.set(now.get().plusSeconds(60));
        windows.inbound(PERSON, FROM);
        SessionWindow w = windows.window(PERSON, FROM);
        assertTrue(w.isOpen());
        assertEquals(now.get().plus(SessionWindows.LENGTH), w.until().orElseThrow());
        server.enqueue(TwilioJson.created(SID, PERSON.value(), FROM.value(), "queued", "1"));
        try (TwilioAccount account = account()) {
            account.channel("whatsapp").send(withFallback());
        }
        assertEquals("Your order shipped", request().first("Body").orElseThrow());
    }

    @Test
    void closedWithoutFallbackStillTriesAsBefore() {
        windows.refused(PERSON, FROM);
        server.enqueue(TwilioJson.error(400, 63016, WINDOW_CLOSED));
        try (TwilioAccount account = account()) {
            org.junit.jupiter.api.Assertions.assertThrows(OutsideSessionWindowException.class,
                    () -> account.channel("whatsapp").send(Message.text(TestValues.TO, "are you there?")));
        }
        assertEquals(1, server.getRequestCount());
    }
}
