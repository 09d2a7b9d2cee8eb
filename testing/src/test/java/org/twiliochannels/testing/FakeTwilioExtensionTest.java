package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FakeTwilioExtension.class)
class FakeTwilioExtensionTest {
    private static FakeTwilio previous;

    @Test
    void injectsAStartedFakeWithMatchingConfig(FakeTwilio twilio) {
        assertEquals(twilio.baseUrl(), twilio.config().build().apiBaseUrl());
        assertEquals(twilio.accountSid(), twilio.config().build().credentials().accountSid());
        checkFreshPerTest(twilio);
    }

    @Test
    void givesEachTestItsOwnFake(FakeTwilio twilio) {
        checkFreshPerTest(twilio);
    }

    private static synchronized void checkFreshPerTest(FakeTwilio twilio) {
        if (previous != null) {
            assertNotEquals(previous.accountSid(), twilio.accountSid());
        }
        previous = twilio;
        assertSame(twilio, twilio);
    }
}
