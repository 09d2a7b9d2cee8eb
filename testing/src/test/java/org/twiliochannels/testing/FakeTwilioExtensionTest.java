package org.twiliochannels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FakeTwilioExtension.class)
class FakeTwilioExtensionTest {
    private static final List<FakeTwilio> INJECTED = new CopyOnWriteArrayList<>();

    private static int statusOfAnUnauthenticatedRequest(FakeTwilio twilio) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(twilio.baseUrl() + "/2010-04-01/Accounts/"
                + twilio.accountSid() + ".json").toURL().openConnection();
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void injectsAStartedFakeWithMatchingConfig(FakeTwilio twilio) throws IOException {
        INJECTED.add(twilio);
        assertEquals(twilio.baseUrl(), twilio.config().build().apiBaseUrl());
        assertEquals(twilio.accountSid(), twilio.config().build().credentials().accountSid());
        assertEquals(401, statusOfAnUnauthenticatedRequest(twilio), "the fake is serving");
    }

    @Test
    void givesEachTestItsOwnFake(FakeTwilio twilio) throws IOException {
        INJECTED.add(twilio);
        assertEquals(401, statusOfAnUnauthenticatedRequest(twilio));
    }

    @AfterAll
    static void everyTestGotADifferentFakeThatWasStoppedAfterwards() {
        assertEquals(2, INJECTED.size());
        assertNotEquals(INJECTED.get(0).accountSid(), INJECTED.get(1).accountSid());
        for (FakeTwilio twilio : INJECTED) {
            assertThrows(ConnectException.class, () -> statusOfAnUnauthenticatedRequest(twilio),
                    "the extension stops the fake after its test");
        }
    }
}
