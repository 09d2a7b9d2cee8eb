package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountSidTest {
    private static final String FIX = " Copy the Account SID from Twilio Console > Account Info (it starts with AC).";
    private static final String VALID = "AC0123456789abcdef0123456789abcdef";

    private static String message(String raw) {
        return assertThrows(IllegalArgumentException.class, () -> AccountSid.of(raw)).getMessage();
    }

    @Test
    void acceptsAcFollowedBy32LowerCaseHex() {
        assertEquals(VALID, AccountSid.of(VALID).value());
        assertEquals(VALID, AccountSid.of(VALID).toString());
        assertEquals(Optional.of(AccountSid.of(VALID)), AccountSid.parse(VALID));
    }

    @Test
    void rejectsSidWithApiKeyPrefix() {
        assertEquals("Account SID \"SK0123456789abcdef0123456789abcdef\" is an API key SID (starts with SK), not an"
                + " Account SID." + FIX, message("SK0123456789abcdef0123456789abcdef"));
    }

    @Test
    void rejectsMessagingServiceSid() {
        assertEquals("Account SID \"MG0123456789abcdef0123456789abcdef\" is a Messaging Service SID (starts with MG),"
                + " not an Account SID." + FIX, message("MG0123456789abcdef0123456789abcdef"));
    }

    @Test
    void rejectsPhoneNumberSid() {
        assertEquals("Account SID \"PN0123456789abcdef0123456789abcdef\" is a phone number SID (starts with PN),"
                + " not an Account SID." + FIX, message("PN0123456789abcdef0123456789abcdef"));
    }

    @Test
    void rejectsWrongLength() {
        assertEquals("Account SID \"AC0123\" has 4 characters after \"AC\"; expected \"AC\" followed by 32 lower-case"
                + " hex characters." + FIX, message("AC0123"));
    }

    @Test
    void rejectsSurroundingQuotes() {
        assertEquals("Account SID \"\"" + VALID + "\"\" is wrapped in quotes; remove the quotes." + FIX,
                message("\"" + VALID + "\""));
    }

    @Test
    void rejectsSurroundingWhitespaceAndTrailingNewline() {
        assertEquals("Account SID \" " + VALID + "\" has leading or trailing whitespace; remove it." + FIX,
                message(" " + VALID));
        assertEquals("Account SID \"" + VALID + "\\n\" ends with a line break; remove it." + FIX, message(VALID + "\n"));
    }

    @Test
    void rejectsUpperCaseHexWithPosition() {
        assertEquals("Account SID \"AC0123456789ABCDEF0123456789abcdef\" has 'A' at position 13, an upper-case hex"
                + " digit; expected \"AC\" followed by 32 lower-case hex characters." + FIX,
                message("AC0123456789ABCDEF0123456789abcdef"));
    }

    @Test
    void rejectsUnknownPrefixAndEmpty() {
        assertEquals("Account SID \"XY0123456789abcdef0123456789abcdef\" must start with \"AC\"; expected \"AC\""
                + " followed by 32 lower-case hex characters." + FIX, message("XY0123456789abcdef0123456789abcdef"));
        assertEquals("Account SID is empty." + FIX, message(""));
        assertTrue(AccountSid.parse("nope").isEmpty());
        assertTrue(AccountSid.parse(null).isEmpty());
    }

    @Test
    void otherSidTypesNameThemselvesAndTheirPrefix() {
        assertEquals("SK0123456789abcdef0123456789abcdef", ApiKeySid.of("SK0123456789abcdef0123456789abcdef").value());
        String e = assertThrows(IllegalArgumentException.class,
                () -> ApiKeySid.of(VALID)).getMessage();
        assertTrue(e.startsWith("API key SID \"" + VALID + "\" is an Account SID (starts with AC), not an API key SID."), e);
        assertTrue(MessagingServiceSid.parse("MG0123456789abcdef0123456789abcdef").isPresent());
        assertTrue(ContentSid.parse("HX0123456789abcdef0123456789abcdef").isPresent());
        assertEquals("MM0123456789abcdef0123456789abcdef", MessageSid.of("MM0123456789abcdef0123456789abcdef").value());
    }
}
