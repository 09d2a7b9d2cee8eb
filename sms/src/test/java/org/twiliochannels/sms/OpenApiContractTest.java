package org.twiliochannels.sms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.MessagingServiceSid;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.testsupport.OpenApiContract;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;

/** Every parameter the sms channel sends exists for its endpoint in Twilio's OpenAPI description. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OpenApiContractTest {
    private static final String MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json";

    private static Set<String> sentParameters(TwilioConfig.Builder config, Message message) throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getLoopbackAddress(), 0);
            server.enqueue(TwilioJson.created("SM0123456789abcdef0123456789abcdef", TestValues.TO, TestValues.SMS_FROM,
                    "queued", "1"));
            try (Channel sms = SmsChannel.open(config.apiBaseUrl(URI.create("http://127.0.0.1:" + server.getPort()))
                    .build())) {
                sms.send(message);
            }
            return new TreeSet<>(FormBody.parse(server.takeRequest().getBody().utf8()).names());
        }
    }

    @Test
    void everyParameterOfAFullSmsExistsInTheSpec() throws Exception {
        Message full = Message.builder().to(TestValues.TO).body("hi")
                .mediaUrl(URI.create("https://example.com/a.jpg"))
                .statusCallback(URI.create("https://example.com/status")).build();
        Set<String> fromNumber = sentParameters(TwilioConfig.builder().credentials(TestValues.credentials())
                .smsFrom(PhoneNumber.of(TestValues.SMS_FROM)), full);
        Set<String> fromService = sentParameters(TwilioConfig.builder().credentials(TestValues.credentials())
                .messagingServiceSid(MessagingServiceSid.of("MG00000000000000000000000000000002")), full);
        Set<String> allowed = OpenApiContract.formParameters(MESSAGES, "post");
        assertTrue(allowed.containsAll(fromNumber), "not in the spec: " + minus(fromNumber, allowed));
        assertTrue(allowed.containsAll(fromService), "not in the spec: " + minus(fromService, allowed));
        assertTrue(fromNumber.containsAll(Set.of("To", "From", "Body", "MediaUrl", "StatusCallback")), fromNumber.toString());
        assertTrue(fromService.contains("MessagingServiceSid"), fromService.toString());
    }

    @Test
    void templateScheduleAndValidityParametersExistInTheSpec() throws Exception {
        Message scheduled = Message.builder().to(TestValues.TO)
                .template(org.twiliochannels.core.Template.numbered(
                        org.twiliochannels.core.ContentSid.of("HX0123456789abcdef0123456789abcdef"), "a"))
                .sendAt(java.time.Instant.now().plus(java.time.Duration.ofHours(2)))
                .validityPeriod(java.time.Duration.ofMinutes(10)).build();
        Set<String> sent = sentParameters(TwilioConfig.builder().credentials(TestValues.credentials())
                .messagingServiceSid(MessagingServiceSid.of("MG00000000000000000000000000000002")), scheduled);
        Set<String> allowed = OpenApiContract.formParameters(MESSAGES, "post");
        assertTrue(sent.containsAll(Set.of("ContentSid", "ContentVariables", "ScheduleType", "SendAt", "ValidityPeriod")),
                sent.toString());
        assertTrue(allowed.containsAll(sent), "not in the spec: " + minus(sent, allowed));
    }

    @Test
    void cancellationParameterExistsInTheSpec() {
        assertTrue(OpenApiContract.formParameters("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "post")
                .contains("Status"));
    }

    @Test
    void responseFieldsTheLibraryReadsExistInTheMessageSchema() {
        Set<String> read = Set.of("sid", "status", "num_segments", "error_code", "error_message", "to");
        Set<String> schema = OpenApiContract.schemaProperties("api.v2010.account.message");
        assertTrue(schema.containsAll(read), "not in the schema: " + minus(read, schema));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
