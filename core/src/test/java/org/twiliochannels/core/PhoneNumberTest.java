package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhoneNumberTest {
    private static final String FIX = " E.164 is + then the country code and the number, with no spaces or punctuation,"
            + " e.g. +14155551234.";

    private static String message(String raw) {
        return assertThrows(IllegalArgumentException.class, () -> PhoneNumber.of(raw)).getMessage();
    }

    @Test
    void acceptsE164() {
        assertEquals("+14155551234", PhoneNumber.of("+14155551234").value());
        assertEquals("+447911123456", PhoneNumber.of("+447911123456").value());
    }

    @Test
    void formattedNumberSuggestsTheE164Form() {
        assertEquals("Phone number \"+1 (415) 555-1234\" contains spaces, dashes, dots or parentheses; write it as"
                + " \"+14155551234\"." + FIX, message("+1 (415) 555-1234"));
        assertEquals("Phone number \"+44 7911-123.456\" contains spaces, dashes, dots or parentheses; write it as"
                + " \"+447911123456\"." + FIX, message("+44 7911-123.456"));
    }

    @Test
    void missingPlusAndCountryCodeIsExplained() {
        assertEquals("Phone number \"4155551234\" has no + and country code; write it as \"+14155551234\" if it is a"
                + " US or Canadian number, otherwise put + and the country code in front (+1 for the US and Canada,"
                + " +44 for the UK)." + FIX, message("4155551234"));
        assertEquals("Phone number \"14155551234\" has no + and country code; write it as \"+14155551234\"." + FIX,
                message("14155551234"));
        assertEquals("Phone number \"00447911123456\" has no + and country code; write it as \"+447911123456\""
                + " (00 is written +)." + FIX, message("00447911123456"));
        assertEquals("Phone number \"(415) 555-1234\" contains spaces, dashes, dots or parentheses; write it as"
                + " \"+14155551234\" if it is a US or Canadian number, otherwise put + and the country code in front"
                + " (+1 for the US and Canada, +44 for the UK)." + FIX, message("(415) 555-1234"));
    }

    @Test
    void whatsAppPrefixOnAnSmsNumberIsNamed() {
        assertEquals("Phone number \"whatsapp:+14155551234\" is a WhatsApp address; for SMS use \"+14155551234\""
                + " without the whatsapp: prefix.", message("whatsapp:+14155551234"));
    }

    @Test
    void lettersLengthAndLeadingZeroAreRejected() {
        assertEquals("Phone number \"+1415555CALL\" has 'C' at position 9; only + and digits are allowed." + FIX,
                message("+1415555CALL"));
        assertEquals("Phone number \"+1234567890123456\" has 16 digits; E.164 numbers have 7 to 15." + FIX,
                message("+1234567890123456"));
        assertEquals("Phone number \"+044791112345\" has a country code starting with 0; drop the trunk prefix 0 and"
                + " use the country code." + FIX, message("+044791112345"));
        assertEquals("Phone number \" +14155551234\" has leading or trailing whitespace; remove it." + FIX,
                message(" +14155551234"));
    }

    @Test
    void numberTooShortForItsCountryNamesTheCountry() {
        assertEquals("Phone number \"+1415555\" is too short for a number in the United States (+1): check that no"
                + " digit (or the area code) is missing." + FIX, message("+1415555"));
        assertEquals("Phone number \"+1234567890\" is too short for a number in the United States (+1): check that no"
                + " digit (or the area code) is missing." + FIX, message("+1234567890"));
    }

    @Test
    void numberTooLongForItsCountryNamesTheCountry() {
        assertEquals("Phone number \"+44791112345678\" is too long for a number in the United Kingdom (+44): check"
                + " for an extra digit." + FIX, message("+44791112345678"));
        assertEquals("Phone number \"+141555512345\" is too long for a number in the United States (+1): check for an"
                + " extra digit." + FIX, message("+141555512345"));
    }

    @Test
    void numberOutsideTheRangesInUseIsNotValidForItsCountry() {
        assertEquals("Phone number \"+15551234567\" is not a valid number in the United States (+1): no number there"
                + " starts like this; check the area code and the digits." + FIX, message("+15551234567"));
        assertEquals("Phone number \"+33012345678\" is not a valid number in France (+33): no number there starts"
                + " like this; check the area code and the digits." + FIX, message("+33012345678"));
    }

    @Test
    void unknownCountryCodeIsNamed() {
        assertEquals("Phone number \"+9991234567\" does not start with a country code in use; check the digits"
                + " after +." + FIX, message("+9991234567"));
    }

    @Test
    void validNumbersOfSeveralCountriesPass() {
        for (String n : java.util.List.of("+14155551234", "+447911123456", "+33612345678", "+493012345678",
                "+919876543210", "+5511987654321", "+61412345678", "+819012345678", "+14155238886")) {
            assertEquals(n, PhoneNumber.of(n).value());
        }
    }

    @Test
    void twiliosMagicTestNumbersStayUsable() {
        for (int i = 0; i <= 9; i++) {
            String magic = "+1500555000" + i;
            assertEquals(magic, PhoneNumber.of(magic).value());
        }
    }

    @Test
    void parseIsEmptyForANumberInvalidForItsCountry() {
        assertTrue(PhoneNumber.parse("+1415555").isEmpty());
        assertTrue(PhoneNumber.parse("+14155551234").isPresent());
    }

    @Test
    void masksTheMiddleForLogs() {
        assertEquals("+1415***1234", PhoneNumber.of("+14155551234").masked());
        assertEquals("whatsapp:+1415***1234", WhatsAppAddress.of("whatsapp:+14155551234").masked());
    }

    @Test
    void whatsAppAddressNeedsItsPrefix() {
        assertEquals("WhatsApp address \"+14155238886\" is missing the whatsapp: prefix; use"
                + " \"whatsapp:+14155238886\". A WhatsApp address is whatsapp: followed by an E.164 number,"
                + " e.g. whatsapp:+14155238886.", assertThrows(IllegalArgumentException.class,
                        () -> WhatsAppAddress.of("+14155238886")).getMessage());
        assertEquals("WhatsApp address \"WhatsApp: +14155238886\" must start with exactly \"whatsapp:\" (lower case,"
                + " no spaces), e.g. \"whatsapp:+14155238886\". A WhatsApp address is whatsapp: followed by an E.164"
                + " number, e.g. whatsapp:+14155238886.", assertThrows(IllegalArgumentException.class,
                        () -> WhatsAppAddress.of("WhatsApp: +14155238886")).getMessage());
        String inner = assertThrows(IllegalArgumentException.class,
                () -> WhatsAppAddress.of("whatsapp:+1 415 523 8886")).getMessage();
        assertTrue(inner.startsWith("WhatsApp address \"whatsapp:+1 415 523 8886\": Phone number \"+1 415 523 8886\""
                + " contains spaces"), inner);
    }

    @Test
    void sandboxSenderIsKnown() {
        assertTrue(WhatsAppAddress.of("whatsapp:+14155238886").isSandbox());
        assertFalse(WhatsAppAddress.of("whatsapp:+14155551234").isSandbox());
        assertEquals("whatsapp:+14155238886", WhatsAppAddress.SANDBOX.value());
    }

    @Test
    void addressParseTellsTheKinds() {
        assertInstanceOf(WhatsAppAddress.class, Address.parse("whatsapp:+14155551234"));
        assertInstanceOf(PhoneNumber.class, Address.parse("+14155551234"));
        assertEquals(PhoneNumber.of("+14155551234"), ((WhatsAppAddress) Address.parse("whatsapp:+14155551234")).phoneNumber());
        assertEquals(new PrefixedAddress("messenger", "1234567890"), Address.parse("messenger:1234567890"));
        assertEquals("messenger:***7890", Address.parse("messenger:1234567890").masked());
    }

    @Test
    void prefixedAddressNeedsAnIdentifierWithoutSpaces() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrefixedAddress.of("messenger:"));
        assertEquals("address \"messenger:\" needs an identifier after the colon, without spaces. Write it as"
                + " prefix:identifier, e.g. messenger:1234567890.", e.getMessage());
    }
}
