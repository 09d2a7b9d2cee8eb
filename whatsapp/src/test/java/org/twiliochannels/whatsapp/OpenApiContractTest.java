package org.twiliochannels.whatsapp;

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
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.testsupport.OpenApiContract;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;

/** Every parameter the whatsapp channel sends exists for its endpoint in Twilio's OpenAPI description. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OpenApiContractTest {
    @Test
    void everyParameterOfAFullWhatsAppMessageExistsInTheSpec() throws Exception {
        Set<String> sent;
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getLoopbackAddress(), 0);
            server.enqueue(TwilioJson.created("SM0123456789abcdef0123456789abcdef", "whatsapp:" + TestValues.TO,
                    "whatsapp:+14155238886", "queued", "1"));
            TwilioConfig config = TwilioConfig.builder().credentials(TestValues.credentials())
                    .whatsAppFrom(WhatsAppAddress.SANDBOX)
                    .statusCallback(URI.create("https://example.com/status"))
                    .apiBaseUrl(URI.create("http://127.0.0.1:" + server.getPort())).build();
            try (Channel whatsapp = WhatsAppChannel.open(config)) {
                whatsapp.send(Message.builder().to(TestValues.TO).body("hi")
                        .mediaUrl(URI.create("https://example.com/a.pdf")).build());
            }
            sent = new TreeSet<>(FormBody.parse(server.takeRequest().getBody().utf8()).names());
        }
        Set<String> allowed = OpenApiContract.formParameters("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post");
        Set<String> unknown = new TreeSet<>(sent);
        unknown.removeAll(allowed);
        assertTrue(unknown.isEmpty(), "not in the spec: " + unknown);
        assertTrue(sent.containsAll(Set.of("To", "From", "Body", "MediaUrl", "StatusCallback")), sent.toString());
    }
}
