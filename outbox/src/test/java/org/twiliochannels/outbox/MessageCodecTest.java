package org.twiliochannels.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Template;

class MessageCodecTest {
    private static final ContentSid SID = ContentSid.of("HX0123456789abcdef0123456789abcdef");

    @Test
    void keepsEveryFieldOfAFreeFormMessage() {
        Message m = Message.builder().to("whatsapp:+14155550101").body("Votre commande ✓")
                .mediaUrl(URI.create("https://example.com/a.png")).mediaUrl(URI.create("https://example.com/b.pdf"))
                .statusCallback(URI.create("https://example.com/status"))
                .fallbackTemplate(Template.numbered(SID, "12/1", "3pm"))
                .sendAt(Instant.parse("2030-01-02T03:04:05Z")).validityPeriod(Duration.ofMinutes(30)).build();
        Message back = MessageCodec.read(MessageCodec.write(m));
        assertEquals(m.to(), back.to());
        assertEquals(m.body(), back.body());
        assertEquals(m.mediaUrls(), back.mediaUrls());
        assertEquals(m.statusCallback(), back.statusCallback());
        assertEquals(m.fallbackTemplate(), back.fallbackTemplate());
        assertEquals(m.sendAt(), back.sendAt());
        assertEquals(m.validityPeriod(), back.validityPeriod());
    }

    @Test
    void keepsATemplateAndTheOrderOfItsVariables() {
        Template t = Template.numbered(SID, "b", "a", "c");
        Message back = MessageCodec.read(MessageCodec.write(Message.template("+14155550101", t)));
        assertEquals(t, back.template().orElseThrow());
        assertEquals("{\"1\":\"b\",\"2\":\"a\",\"3\":\"c\"}", back.template().orElseThrow().variablesJson());
    }

    @Test
    void countsSmsSegmentsByEncodingAndOneForOtherChannels() {
        assertEquals(1, MessageCodec.segments("sms", Message.text("+14155550101", "a".repeat(160))));
        assertEquals(2, MessageCodec.segments("sms", Message.text("+14155550101", "a".repeat(161))));
        assertEquals(2, MessageCodec.segments("sms", Message.text("+14155550101", "é✓".repeat(40))));
        assertEquals(1, MessageCodec.segments("whatsapp", Message.text("+14155550101", "a".repeat(500))));
    }

    @Test
    void writesTheJsonOfEarlierRowsFieldForField() {
        // rows written by earlier versions hold exactly this form; the streamed writer keeps it
        assertEquals("{\"to\":\"+14155550101\",\"body\":\"Hi \\\"you\\\"\"}",
                MessageCodec.write(Message.text("+14155550101", "Hi \"you\"")));
        assertEquals("{\"to\":\"+14155550101\",\"template\":{\"sid\":\"" + SID.value() + "\",\"variables\":{\"1\":\"b\"}},"
                        + "\"validitySeconds\":60}",
                MessageCodec.write(Message.builder().to("+14155550101").template(Template.numbered(SID, "b"))
                        .validityPeriod(Duration.ofSeconds(60)).build()));
    }
}
