package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class MessageTest {
    private static String message(Runnable r) {
        return assertThrows(InvalidMessageException.class, r::run).getMessage();
    }

    @Test
    void emptyMessageIsRejectedNamingTheField() {
        assertEquals("body: the message is empty; give a body, at least one media URL, or a template.",
                message(() -> Message.text("+14155551234", " ")));
    }

    @Test
    void bodyOver1600CharactersIsRejected() {
        assertEquals("body: has 1601 characters; Twilio accepts at most 1600. Shorten it or send several messages.",
                message(() -> Message.text("+14155551234", "a".repeat(1601))));
        assertEquals(1600, Message.text("+14155551234", "a".repeat(1600)).body().orElseThrow().length());
    }

    @Test
    void moreThanTenMediaUrlsAreRejected() {
        Message.Builder b = Message.builder().to("+14155551234");
        for (int i = 0; i < 11; i++) {
            b.mediaUrl(URI.create("https://example.com/" + i + ".jpg"));
        }
        assertEquals("mediaUrl: has 11 URLs; Twilio accepts at most 10 per message. Send the rest in another message.",
                message(b::build));
    }

    @Test
    void nonHttpMediaUrlIsRejected() {
        assertEquals("mediaUrl: \"ftp://example.com/a.jpg\" is not an absolute http(s) URL; Twilio fetches media from"
                + " a public http or https address.",
                message(() -> Message.builder().mediaUrl(URI.create("ftp://example.com/a.jpg"))));
    }

    @Test
    void invalidRecipientNamesTheToField() {
        assertEquals("to: Phone number \"415-555-1234\" contains spaces, dashes, dots or parentheses; write it as"
                + " \"+14155551234\" if it is a US or Canadian number, otherwise put + and the country code in front"
                + " (+1 for the US and Canada, +44 for the UK). E.164 is + then the country code and the number, with"
                + " no spaces or punctuation, e.g. +14155551234.", message(() -> Message.text("415-555-1234", "hi")));
        assertEquals("to: is required; set the recipient's E.164 number, e.g. +14155551234.",
                message(() -> Message.builder().body("hi").build()));
    }

    @Test
    void toStringMasksRecipientAndHidesBody() {
        assertEquals("Message[to=+1415***1234, body=6 chars, media=0]", Message.text("+14155551234", "secret").toString());
    }
}
