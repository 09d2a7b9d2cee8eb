package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input that is not what a value type takes: a pasted token or API secret (never echoed, named with
 * the setting it belongs in), values far too long (refused before any costly check), and invisible
 * or look-alike characters (named, with the fix).
 */
class BadInputTest {
    private static final String TOKEN = "feedfacefeedfacefeedfacefeedface";
    private static final String API_SECRET = "AbCdEfGh0123456789AbCdEfGh012345";
    private static final String TOKEN_HERE = "looks like an auth token (32 hex characters): it belongs in"
            + " TWILIO_AUTH_TOKEN, not here.";
    private static final String SECRET_HERE = "looks like an API key secret (32 letters and digits): it belongs in"
            + " TWILIO_API_SECRET, not here.";
    private static final String PHONE_FIX = " E.164 is + then the country code and the number, with no spaces or"
            + " punctuation, e.g. +14155551234.";
    private static final String WHATSAPP_FIX = " A WhatsApp address is whatsapp: followed by an E.164 number, e.g."
            + " whatsapp:+14155238886.";

    /** Every public factory of a value type that is not secret, by the kind its messages start with. */
    static Stream<Arguments> factories() {
        return Stream.of(
                Arguments.of("Account SID", (Function<String, Object>) AccountSid::of, AccountSid.FIX),
                Arguments.of("API key SID", (Function<String, Object>) ApiKeySid::of, ApiKeySid.FIX),
                Arguments.of("Message SID", (Function<String, Object>) MessageSid::of,
                        "Use the SID returned in the Receipt or shown in Twilio Console > Monitor > Messaging."),
                Arguments.of("Content SID", (Function<String, Object>) ContentSid::of, ContentSid.FIX),
                Arguments.of("Messaging Service SID", (Function<String, Object>) MessagingServiceSid::of,
                        MessagingServiceSid.FIX),
                Arguments.of("Phone number", (Function<String, Object>) PhoneNumber::of, PhoneNumber.FIX),
                Arguments.of("WhatsApp address", (Function<String, Object>) WhatsAppAddress::of, WHATSAPP_FIX.strip()),
                Arguments.of("Phone number", (Function<String, Object>) Address::parse, PhoneNumber.FIX));
    }

    private static String message(Function<String, Object> factory, String raw) {
        return assertThrows(IllegalArgumentException.class, () -> factory.apply(raw)).getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factories")
    void aPastedTokenIsNamedWithItsSettingAndNeverEchoed(String kind, Function<String, Object> factory, String fix) {
        assertEquals(kind + " " + TOKEN_HERE + " " + fix, message(factory, TOKEN));
        assertEquals(kind + " " + SECRET_HERE + " " + fix, message(factory, API_SECRET));
        for (String pasted : List.of("\"" + TOKEN + "\"", TOKEN + "\n", " " + TOKEN, "+" + TOKEN,
                "whatsapp:" + TOKEN, "whatsapp:+" + TOKEN, TOKEN.substring(0, 16) + "\u200b" + TOKEN.substring(16),
                TOKEN.toUpperCase(java.util.Locale.ROOT), TOKEN.substring(1), TOKEN + "0")) {
            String m = message(factory, pasted);
            assertFalse(m.contains(TOKEN.substring(0, 12)), m);
            assertFalse(m.contains(TOKEN.substring(0, 12).toUpperCase(java.util.Locale.ROOT)), m);
            assertTrue(m.startsWith(kind + " looks like an auth token") || m.startsWith("WhatsApp address looks like an"
                    + " auth token"), m);
        }
        String m = message(factory, "'" + API_SECRET + "'");
        assertFalse(m.contains(API_SECRET.substring(0, 12)), m);
    }

    @Test
    void aTokenOfAnotherLengthIsNotShownEither() {
        assertEquals("Account SID looks like an auth token or API secret (31 letters and digits): it belongs in"
                + " TWILIO_AUTH_TOKEN or TWILIO_API_SECRET, not here. " + AccountSid.FIX,
                message(AccountSid::of, TOKEN.substring(1)));
    }

    @Test
    void sidsThatAreNotSecretsAreStillQuoted() {
        assertEquals("Account SID \"XY0123456789abcdef0123456789abcdef\" must start with \"AC\"; expected \"AC\""
                + " followed by 32 lower-case hex characters. " + AccountSid.FIX,
                message(AccountSid::of, "XY0123456789abcdef0123456789abcdef"));
        assertEquals("Phone number \"+1234567890123456\" has 16 digits; E.164 numbers have 7 to 15." + PHONE_FIX,
                message(PhoneNumber::of, "+1234567890123456"));
    }

    @Test
    void aPrefixedAddressNeverQuotesATokenInItsErrors() {
        String m = message(PrefixedAddress::of, TOKEN);
        assertEquals("address looks like an auth token (32 hex characters): it belongs in TWILIO_AUTH_TOKEN, not"
                + " here. Write it as prefix:identifier, e.g. messenger:1234567890.", m);
        m = message(v -> new PrefixedAddress("messenger", v), TOKEN + " x");
        assertFalse(m.contains(TOKEN.substring(0, 12)), m);
        // a plug-in identifier may be 32 hex characters (a user id of a messaging app): accepted, masked
        PrefixedAddress ok = PrefixedAddress.of("line:" + TOKEN);
        assertEquals("line:***face", ok.toString());
    }

    @Test
    void valuesFarTooLongAreRefusedAtOnceWithTheirLength() {
        String huge = "+1" + "2".repeat(199_998);
        assertEquals("Phone number is too long (200000 characters, at most 64)." + PHONE_FIX,
                message(PhoneNumber::of, huge));
        assertEquals("WhatsApp address is too long (200009 characters, at most 73)." + WHATSAPP_FIX,
                message(WhatsAppAddress::of, "whatsapp:" + huge));
        assertEquals("Account SID is too long (200002 characters, at most 64). " + AccountSid.FIX,
                message(AccountSid::of, "AC" + "0".repeat(200_000)));
        assertEquals("Auth token is too long (200000 characters, at most 64). " + AuthToken.FIX,
                message(AuthToken::of, "0".repeat(200_000)));
        assertEquals("API key secret is too long (65 characters, at most 64). " + ApiKeySecret.FIX,
                message(ApiKeySecret::of, "a".repeat(65)));
        assertEquals("address is too long (300 characters, at most 256). Write it as prefix:identifier, e.g."
                + " messenger:1234567890.", message(PrefixedAddress::of, "messenger:" + "1".repeat(290)));
    }

    @Test
    void longestRightValuesAndPastedDecorationKeepTheirOwnMessages() {
        String sid = "AC0123456789abcdef0123456789abcdef";
        assertEquals("Account SID \"" + sid + "\\n\" ends with a line break; remove it. " + AccountSid.FIX,
                message(AccountSid::of, sid + "\n"));
        assertEquals("Phone number \"  +1 (415) 555-1234  \" has leading or trailing whitespace; remove it."
                + PHONE_FIX, message(PhoneNumber::of, "  +1 (415) 555-1234  "));
        assertEquals(1600, Message.text("+14155551234", "x".repeat(1600)).body().orElseThrow().length());
    }

    @Test
    void aZeroWidthSpaceInATokenIsNamedWithItsPosition() {
        String withSpace = TOKEN.substring(0, 16) + "\u200b" + TOKEN.substring(16);
        String m = message(AuthToken::of, withSpace);
        assertEquals("Auth token has U+200B ZERO WIDTH SPACE at position 17, an invisible character; remove it."
                + " " + AuthToken.FIX, m);
        m = message(ApiKeySecret::of, API_SECRET.substring(0, 4) + "\u00a0" + API_SECRET.substring(5));
        assertEquals("API key secret has U+00A0 NO-BREAK SPACE at position 5, a space that is not the ASCII space;"
                + " remove it. " + ApiKeySecret.FIX, m);
        m = message(AuthToken::of, "\uff46" + TOKEN.substring(1));
        assertEquals("Auth token has U+FF46 FULLWIDTH LATIN SMALL LETTER F at position 1, which is not ASCII; type"
                + " 'f' instead. " + AuthToken.FIX, m);
    }

    @Test
    void fullWidthAndNoBreakSpaceInANumberGetTheAsciiForm() {
        assertEquals("Phone number \"\uff0b\uff11\uff14\uff11\uff15\uff15\uff15\uff15\uff11\uff12\uff13\uff14\" has"
                + " U+FF0B FULLWIDTH PLUS SIGN at position 1, which is not ASCII; write it as \"+14155551234\"."
                + PHONE_FIX, message(PhoneNumber::of, "\uff0b\uff11\uff14\uff11\uff15\uff15\uff15\uff15\uff11\uff12"
                + "\uff13\uff14"));
        assertEquals("Phone number \"+1\\u00A0415\\u00A0555\\u00A01234\" has U+00A0 NO-BREAK SPACE at position 3,"
                + " a space that is not the ASCII space; write it as \"+14155551234\"." + PHONE_FIX,
                message(PhoneNumber::of, "+1\u00a0415\u00a0555\u00a01234"));
        assertEquals("Phone number \"+1415\\u200B5551234\" has U+200B ZERO WIDTH SPACE at position 6, an invisible"
                + " character; write it as \"+14155551234\"." + PHONE_FIX,
                message(PhoneNumber::of, "+1415\u200b5551234"));
        assertEquals("WhatsApp address \"whatsapp:\uff0b14155551234\" has U+FF0B FULLWIDTH PLUS SIGN at position 10,"
                + " which is not ASCII; write it as \"whatsapp:+14155551234\"." + WHATSAPP_FIX,
                message(WhatsAppAddress::of, "whatsapp:\uff0b14155551234"));
        assertEquals("Phone number \"+1415555123\u0661\" has U+0661 ARABIC-INDIC DIGIT ONE at position 12, which is"
                + " not ASCII; write it as \"+14155551231\"." + PHONE_FIX, message(PhoneNumber::of, "+1415555123\u0661"));
    }

    @Test
    void otherCharactersOutsideTheExpectedSetAreNamed() {
        assertEquals("Account SID \"AC0123456789abcdef0123456789abcd\u0435f\" has U+0435 CYRILLIC SMALL LETTER IE at"
                + " position 33, which is not ASCII; retype it. " + AccountSid.FIX,
                message(AccountSid::of, "AC0123456789abcdef0123456789abcd\u0435f"));
        assertEquals("Account SID \"\\uFEFFAC0123456789abcdef0123456789abcdef\" has U+FEFF ZERO WIDTH NO-BREAK SPACE"
                + " at position 1, an invisible character; write it as \"AC0123456789abcdef0123456789abcdef\". "
                + AccountSid.FIX, message(AccountSid::of, "\ufeffAC0123456789abcdef0123456789abcdef"));
        assertEquals("Phone number \"+1\u2013415\u2013555\u20131234\" has U+2013 EN DASH at position 3, which is not"
                + " ASCII; write it as \"+14155551234\"." + PHONE_FIX, message(PhoneNumber::of, "+1\u2013415\u2013555\u20131234"));
        assertEquals("address \"messenger:12\\u200B34\" has U+200B ZERO WIDTH SPACE at position 13, an invisible"
                + " character; remove it. Write it as prefix:identifier, e.g. messenger:1234567890.",
                message(PrefixedAddress::of, "messenger:12\u200b34"));
    }

    @Test
    void aUrlInAMessageErrorNeverShowsItsUserInfo() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> Message.builder().mediaUrl(URI.create("ftp://user:hunter2@example.com/cat.png")));
        assertEquals("mediaUrl: \"ftp://[user info removed]@example.com/cat.png\" is not an absolute http(s) URL;"
                + " Twilio fetches media from a public http or https address.", e.getMessage());
        e = assertThrows(InvalidMessageException.class,
                () -> Message.builder().statusCallback(URI.create("ftp://user:hunter2@example.com/cb")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void noValueTypeHasASerializedForm() {
        for (Class<?> type : List.of(AccountSid.class, ApiKeySid.class, AuthToken.class, ApiKeySecret.class,
                MessageSid.class, ContentSid.class, MessagingServiceSid.class, PhoneNumber.class,
                WhatsAppAddress.class, PrefixedAddress.class, ProxyPassword.class, TwilioCredentials.class,
                Template.class, Message.class, HttpProxy.class)) {
            assertFalse(Serializable.class.isAssignableFrom(type), type + " is Serializable");
        }
    }
}
