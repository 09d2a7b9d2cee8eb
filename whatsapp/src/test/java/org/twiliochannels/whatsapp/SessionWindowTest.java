package org.twiliochannels.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.OutsideSessionWindowException;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.Template;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.TwilioErrorCode;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;

/** Templates, media with captions, and the 24-hour customer-service window. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SessionWindowTest {
    private static final String TEMPLATE_SID = "SM11111111111111111111111111111111";
    private static final ContentSid CONTENT = ContentSid.of("HX0123456789abcdef0123456789abcdef");
    private static final String WINDOW_CLOSED = "Failed to send freeform message because you are outside the allowed window.";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private Channel open() {
        return WhatsAppChannel.open(TwilioConfig.builder().credentials(TestValues.credentials())
                .whatsAppFrom(WhatsAppAddress.of("whatsapp:+15005550006"))
                .apiBaseUrl(server.url("/").uri()).build());
    }

    @Test
    void closedWindowWithoutFallbackRaisesOutsideSessionWindowSayingToUseATemplate() {
        server.enqueue(TwilioJson.error(400, 63016, WINDOW_CLOSED));
        try (Channel whatsapp = open()) {
            OutsideSessionWindowException e = assertThrows(OutsideSessionWindowException.class,
                    () -> whatsapp.send(Message.text(TestValues.TO, "are you there?")));
            assertEquals(TwilioErrorCode.OUTSIDE_SESSION_WINDOW, e.error().known().orElseThrow());
            assertTrue(e.getMessage().contains("send an approved Content template (ContentSid)"), e.getMessage());
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void closedWindowWithFallbackSendsTheTemplateOnce() throws Exception {
        server.enqueue(TwilioJson.error(400, 63016, WINDOW_CLOSED));
        server.enqueue(TwilioJson.created(TEMPLATE_SID, "whatsapp:" + TestValues.TO, "whatsapp:+15005550006", "queued", "1"));
        Receipt receipt;
        try (Channel whatsapp = open()) {
            receipt = whatsapp.send(Message.builder().to(TestValues.TO).body("Your order shipped")
                    .fallbackTemplate(Template.numbered(CONTENT, "1042")).build());
        }
        assertEquals(TEMPLATE_SID, receipt.sid().value());
        FormBody first = FormBody.parse(server.takeRequest().getBody().utf8());
        FormBody second = FormBody.parse(server.takeRequest().getBody().utf8());
        assertEquals("Your order shipped", first.first("Body").orElseThrow());
        assertTrue(first.first("ContentSid").isEmpty());
        assertEquals(CONTENT.value(), second.first("ContentSid").orElseThrow());
        assertEquals("{\"1\":\"1042\"}", second.first("ContentVariables").orElseThrow());
        assertTrue(second.first("Body").isEmpty(), second.toString());
        assertEquals("whatsapp:" + TestValues.TO, second.first("To").orElseThrow());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void fallbackIsNotUsedForOtherRejections() {
        server.enqueue(TwilioJson.error(400, 63015, "Channel Sandbox can only send messages to phone numbers that have joined the Sandbox"));
        try (Channel whatsapp = open()) {
            assertThrows(org.twiliochannels.core.TwilioRejectedException.class, () -> whatsapp.send(Message.builder()
                    .to(TestValues.TO).body("x").fallbackTemplate(Template.of(CONTENT)).build()));
        }
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void asyncSendUsesTheFallbackToo() throws Exception {
        server.enqueue(TwilioJson.error(400, 63016, WINDOW_CLOSED));
        server.enqueue(TwilioJson.created(TEMPLATE_SID, "whatsapp:" + TestValues.TO, "whatsapp:+15005550006", "queued", "1"));
        try (Channel whatsapp = open()) {
            Receipt r = whatsapp.sendAsync(Message.builder().to(TestValues.TO).body("x")
                    .fallbackTemplate(Template.of(CONTENT)).build()).get(10, TimeUnit.SECONDS);
            assertEquals(TEMPLATE_SID, r.sid().value());
        }
    }

    @Test
    void mediaWithCaptionSendsBodyAndMediaUrl() throws Exception {
        server.enqueue(TwilioJson.created(TEMPLATE_SID, "whatsapp:" + TestValues.TO, "whatsapp:+15005550006", "queued", "1"));
        try (Channel whatsapp = open()) {
            whatsapp.send(Message.builder().to(TestValues.TO).body("Your invoice")
                    .mediaUrl(URI.create("https://example.com/invoice.pdf")).build());
        }
        FormBody form = FormBody.parse(server.takeRequest().getBody().utf8());
        assertEquals("Your invoice", form.first("Body").orElseThrow());
        assertEquals("https://example.com/invoice.pdf", form.first("MediaUrl").orElseThrow());
    }
}
