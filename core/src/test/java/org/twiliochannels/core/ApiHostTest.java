package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.testsupport.TestValues;

/** Base URLs (ports, user info, the loopback rule) and Twilio's regions and edges. */
class ApiHostTest {
    private static TwilioConfig.Builder base() {
        return TwilioConfig.builder().credentials(TestValues.credentials());
    }

    private static String rejected(String url) {
        return assertThrows(IllegalArgumentException.class, () -> base().apiBaseUrl(URI.create(url))).getMessage();
    }

    @Test
    void rejectsPortsOutsideTheValidRange() {
        assertEquals("apiBaseUrl \"http://localhost:99999\" has port 99999, which is not between 1 and 65535; give a"
                + " valid port, e.g. https://example.com:8443, or none for the scheme's default",
                rejected("http://localhost:99999"));
        assertEquals("apiBaseUrl \"https://example.com:0/x\" has port 0, which is not between 1 and 65535; give a"
                + " valid port, e.g. https://example.com:8443, or none for the scheme's default",
                rejected("https://example.com:0/x"));
        assertEquals(URI.create("http://localhost:65535"), base().apiBaseUrl(URI.create("http://localhost:65535")).build().apiBaseUrl());
        assertEquals(URI.create("https://example.com:1"), base().apiBaseUrl(URI.create("https://example.com:1")).build().apiBaseUrl());
    }

    @Test
    void rejectsUserInfoWithoutEchoingThePassword() {
        String message = rejected("http://admin:s3cr3t-pw@127.0.0.1:8080/prefix");
        assertEquals("apiBaseUrl must not contain user info (a user name or password before '@'); it is never sent."
                + " Twilio credentials come from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or an API key), and a proxy's"
                + " credentials have their own settings (HttpProxy.withCredentials, or user:password@ in HTTPS_PROXY)."
                + " Give the URL without it: \"http://127.0.0.1:8080/prefix\"", message);
        assertFalse(rejected("https://user:pa55word@example.com").contains("pa55word"));
        assertFalse(rejected("https://only-a-user@example.com").contains("only-a-user"));
    }

    @Test
    void statusCallbackMayCarryUserInfoButMessagesNeverShowIt() {
        base().statusCallback(URI.create("https://user:pw@hooks.example.com/status"));
        String message = assertThrows(IllegalArgumentException.class,
                () -> base().statusCallback(URI.create("https://user:hunter2@hooks.example.com:70000/status"))).getMessage();
        assertEquals("statusCallback \"https://[user info removed]@hooks.example.com:70000/status\" has port 70000,"
                + " which is not between 1 and 65535; give a valid port, e.g. https://example.com:8443, or none for the"
                + " scheme's default", message);
    }

    @Test
    void loopbackMeansLiteralLoopbackAddressesAndLocalhostOnly() {
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.255",
                "[::1]", "::1", "[0:0:0:0:0:0:0:1]", "[0000::0001]", "[::0:1]"}) {
            assertTrue(TwilioConfig.Builder.isLoopback(host), host);
        }
        // Names made of hex letters or digits were once looked up; no name is now, whatever it resolves to.
        for (String host : new String[] {"beef", "cafe", "dead", "127.0.0.1.nip.io", "localhost.example.com",
                "128.0.0.1", "127.0.0.256", "127.1", "2130706433", "0x7f000001", "[::2]", "[::1:1]", "[1::1]",
                "::ffff:7f00:1", "fe:beef", "[:::1]", "0.0.0.0", "10.0.0.1", "[::]"}) {
            assertFalse(TwilioConfig.Builder.isLoopback(host), host);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> base().apiBaseUrl(URI.create("http://beef:8080")).build());
        assertTrue(e.getMessage().startsWith("apiBaseUrl \"http://beef:8080\" uses plain http for a host that is not loopback"));
    }

    @Test
    void regionAndEdgeSelectTwilioHostAsTheSdkDoes() {
        assertEquals("api.twilio.com", base().build().apiHost());
        assertEquals("api.ie1.twilio.com", base().region("ie1").build().apiHost());
        assertEquals("api.dublin.ie1.twilio.com", base().region("ie1").edge("dublin").build().apiHost());
        assertEquals("api.sydney.us1.twilio.com", base().edge("sydney").build().apiHost(), "edge alone: region us1");
        assertEquals("api.sao-paulo.br1.twilio.com", base().region(" BR1 ").edge("Sao-Paulo").build().apiHost());
        TwilioConfig regional = base().region("au1").edge("sydney").build();
        assertEquals(URI.create("https://api.sydney.au1.twilio.com"), regional.apiBaseUrl());
        assertFalse(regional.usesCustomApiBaseUrl());
        assertEquals(regional.apiHost(), regional.newBuilder().build().apiHost());
        assertTrue(regional.toString().contains("apiBaseUrl=https://api.sydney.au1.twilio.com"), regional.toString());
    }

    @Test
    void aCustomBaseUrlWinsOverRegionAndEdge() {
        TwilioConfig c = base().region("ie1").edge("dublin").apiBaseUrl(URI.create("http://127.0.0.1:8080")).build();
        assertEquals("127.0.0.1", c.apiHost());
        assertEquals(URI.create("http://127.0.0.1:8080"), c.apiBaseUrl());
        assertTrue(c.usesCustomApiBaseUrl());
        assertEquals("ie1", c.region().orElseThrow());
    }

    @Test
    void rejectsRegionAndEdgeThatAreNotHostLabels() {
        assertEquals("region \"api.ie1.twilio.com\" must be Twilio's region id: letters and digits, e.g. \"ie1\","
                + " \"au1\" or \"us1\" (the part of the host name api.{edge}.{region}.twilio.com, not a host or URL)",
                assertThrows(IllegalArgumentException.class, () -> base().region("api.ie1.twilio.com")).getMessage());
        assertEquals("edge \"sao paulo\" must be Twilio's edge location: letters, digits and '-', e.g. \"dublin\","
                + " \"sydney\" or \"sao-paulo\" (the part of the host name api.{edge}.{region}.twilio.com, not a host or URL)",
                assertThrows(IllegalArgumentException.class, () -> base().edge("sao paulo")).getMessage());
        for (String bad : new String[] {"", "ie-1", "ie1/", "https://ie1"}) {
            assertThrows(IllegalArgumentException.class, () -> base().region(bad), bad);
        }
        for (String bad : new String[] {"", "-dublin", "dublin-", "dub..lin", "dublin.ie1"}) {
            assertThrows(IllegalArgumentException.class, () -> base().edge(bad), bad);
        }
    }
}
