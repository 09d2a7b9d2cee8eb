package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TwilioErrorTest {
    @Test
    void theDeliveryCodesOfStatusCallbacksHaveHints() {
        for (int code : new int[] {30003, 30005, 30006, 30007, 30008}) {
            TwilioErrorCode c = TwilioErrorCode.of(code).orElseThrow(() -> new AssertionError(code + " is listed"));
            assertEquals(code, c.code());
            assertEquals(TwilioErrorCode.Kind.PERMANENT, c.kind(), "as their HTTP status 400 would say");
        }
        assertEquals(Optional.empty(), TwilioErrorCode.of(30004), "30004 (blocked) is not listed");
        assertEquals(true, TwilioErrorCode.of(30007).orElseThrow().hint().contains("A2P 10DLC"));
    }

    @Test
    void describeMasksNumbersTwilioQuotesButMessageKeepsThem() {
        TwilioError e = new TwilioError(400, OptionalInt.of(21211), "Invalid 'To' Phone Number: +14155551234",
                Optional.of("https://www.twilio.com/docs/errors/21211"));
        assertEquals("Twilio error 21211 (HTTP 400): Invalid 'To' Phone Number: +1415***1234 Hint: The To number is"
                + " not a valid phone number: check it is a reachable E.164 number."
                + " See https://www.twilio.com/docs/errors/21211", e.describe());
        assertEquals("Invalid 'To' Phone Number: +14155551234", e.message());
    }

    @Test
    void kindsComeFromTheCatalogueThenTheHttpStatus() {
        assertEquals(TwilioErrorCode.Kind.FATAL, error(401, 20003).kind());
        assertEquals(TwilioErrorCode.Kind.TRANSIENT, error(400, 21611).kind());
        assertEquals(TwilioErrorCode.Kind.AMBIGUOUS, error(500, 20500).kind());
        assertEquals(TwilioErrorCode.Kind.PERMANENT, error(400, 21610).kind());
        assertEquals(TwilioErrorCode.Kind.TRANSIENT, new TwilioError(429, OptionalInt.empty(), "m", Optional.empty()).kind());
        assertEquals(TwilioErrorCode.Kind.AMBIGUOUS, new TwilioError(502, OptionalInt.empty(), "m", Optional.empty()).kind());
        assertEquals(TwilioErrorCode.Kind.FATAL, new TwilioError(401, OptionalInt.empty(), "m", Optional.empty()).kind());
        assertEquals(TwilioErrorCode.Kind.PERMANENT, error(400, 12345).kind());
        assertEquals(TwilioErrorCode.Kind.FATAL, new TwilioError(302, OptionalInt.empty(), "m", Optional.empty()).kind(),
                "a redirect: every request of the account goes to the wrong place");
        assertEquals(TwilioErrorCode.Kind.FATAL, new TwilioError(100, OptionalInt.empty(), "m", Optional.empty()).kind());
    }

    private static TwilioError error(int status, int code) {
        return new TwilioError(status, OptionalInt.of(code), "m", Optional.empty());
    }
}
