package org.twiliochannels.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiveCheckTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();

    private SetupReport check(String baseUrl) {
        return TwilioEnvironment.builder().noEnvFile().systemProperties(new Properties())
                .environment(Map.of("TWILIO_ACCOUNT_SID", TestValues.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", TestValues.AUTH_TOKEN,
                        "TWILIO_PHONE_NUMBER", TestValues.SMS_FROM, "TWILIO_API_BASE_URL", baseUrl))
                .read().checkLive();
    }

    private SetupReport check() {
        return check(server.url("/").toString());
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse account(String status, String type) {
        return json("{\"sid\":\"" + TestValues.ACCOUNT_SID + "\",\"friendly_name\":\"My app\",\"status\":\"" + status
                + "\",\"type\":\"" + type + "\"}");
    }

    private static MockResponse numbers(boolean found, boolean sms) {
        String item = "{\"sid\":\"PN00000000000000000000000000000003\",\"phone_number\":\"" + TestValues.SMS_FROM
                + "\",\"capabilities\":{\"voice\":true,\"sms\":" + sms + ",\"mms\":true,\"fax\":false}}";
        return json("{\"incoming_phone_numbers\":[" + (found ? item : "") + "],\"next_page_uri\":null,\"page\":0,"
                + "\"page_size\":50,\"start\":0,\"end\":0,\"uri\":\"/x\",\"first_page_uri\":\"/x\","
                + "\"previous_page_uri\":null}");
    }

    /** The live finding for {@code key}: the offline checks come first, so the last one. */
    private static Finding finding(SetupReport r, String key) {
        return r.findings().stream().filter(f -> f.key().equals(key)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + key + " in " + r.toText()));
    }

    @Test
    void acceptedCredentialsActiveFullAccountAndOwnedNumber() throws Exception {
        server.enqueue(account("active", "Full"));
        server.enqueue(numbers(true, true));
        SetupReport r = check();
        assertTrue(r.ok(), r.toText());
        assertEquals("accepted for account " + TestValues.ACCOUNT_SID + " (My app)", finding(r, "credentials").message());
        RecordedRequest accountRequest = server.takeRequest();
        assertEquals("/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + ".json", accountRequest.getUrl().encodedPath());
        RecordedRequest numbersRequest = server.takeRequest();
        assertEquals("/2010-04-01/Accounts/" + TestValues.ACCOUNT_SID + "/IncomingPhoneNumbers.json",
                numbersRequest.getUrl().encodedPath());
        assertEquals(TestValues.SMS_FROM, numbersRequest.getUrl().queryParameter("PhoneNumber"));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void rejectedCredentialsSayTheyDoNotMatch() {
        server.enqueue(TwilioJson.error(401, 20003, "Authenticate"));
        SetupReport r = check();
        Finding f = finding(r, "credentials");
        assertEquals(Severity.PROBLEM, f.severity());
        assertTrue(f.message().startsWith("Account SID and Auth Token do not match (Twilio error 20003)"), f.message());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void rejectedApiKeyWithARegionSaysKeysBelongToOneRegion() {
        server.enqueue(TwilioJson.error(401, 20003, "Authenticate"));
        SetupReport r = TwilioEnvironment.builder().noEnvFile().systemProperties(new Properties())
                .environment(Map.of("TWILIO_ACCOUNT_SID", TestValues.ACCOUNT_SID,
                        "TWILIO_API_KEY", "SK00000000000000000000000000000002",
                        "TWILIO_API_SECRET", "AbCdEfGh0123456789AbCdEfGh012345", "TWILIO_REGION", "ie1",
                        "TWILIO_PHONE_NUMBER", "+14155550100", "TWILIO_API_BASE_URL", server.url("/").toString()))
                .read().checkLive();
        Finding f = finding(r, "credentials");
        assertEquals(Severity.PROBLEM, f.severity());
        assertTrue(f.message().endsWith(" An API key works only in the region it was created in: make sure this key"
                + " was created in region ie1."), f.message());
    }

    @Test
    void suspendedAccountIsAProblem() {
        server.enqueue(account("suspended", "Full"));
        server.enqueue(numbers(true, true));
        Finding f = finding(check(), "account status");
        assertEquals(Severity.PROBLEM, f.severity());
        assertTrue(f.message().startsWith("the account is suspended"), f.message());
    }

    @Test
    void trialAccountIsAWarningExplainingVerifiedNumbers() {
        server.enqueue(account("active", "Trial"));
        server.enqueue(numbers(true, true));
        SetupReport r = check();
        assertTrue(r.ok());
        Finding f = finding(r, "account type");
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().startsWith("Trial: messages go only to verified numbers"), f.message());
    }

    @Test
    void numberNotOwnedByTheAccountIsAProblem() {
        server.enqueue(account("active", "Full"));
        server.enqueue(numbers(false, false));
        Finding f = finding(check(), "TWILIO_PHONE_NUMBER");
        assertEquals(new Finding(Severity.PROBLEM, "TWILIO_PHONE_NUMBER", "Twilio", TestValues.SMS_FROM
                + " is not a phone number of this account: choose one under Twilio Console > Phone Numbers > Active"
                + " numbers, or buy one."), f);
    }

    @Test
    void numberWithoutSmsCapabilityIsAProblem() {
        server.enqueue(account("active", "Full"));
        server.enqueue(numbers(true, false));
        assertTrue(finding(check(), "TWILIO_PHONE_NUMBER").message().contains("cannot send SMS"));
    }

    @Test
    void connectionRefusedIsReportedAsANetworkProblemNotBadCredentials() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        SetupReport r = check("http://127.0.0.1:" + closed);
        Finding f = finding(r, "network");
        assertEquals(Severity.PROBLEM, f.severity());
        assertTrue(f.message().contains("This is a network problem"), f.message());
        assertTrue(r.findings().stream().noneMatch(x -> x.key().equals("credentials")), r.toText());
    }
}
