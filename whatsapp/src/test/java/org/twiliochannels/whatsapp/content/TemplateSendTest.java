package org.twiliochannels.whatsapp.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.ContentSid;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.testsupport.TestValues;
import org.twiliochannels.core.testsupport.TwilioJson;
import org.twiliochannels.testing.FormBody;
import org.twiliochannels.whatsapp.WhatsAppChannel;

/** Checked variables reach Twilio through the WhatsApp channel as ContentSid and ContentVariables; bad ones send nothing. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TemplateSendTest {
    private static final String SID = "HX0123456789abcdef0123456789abcdef";

    @Test
    void theCheckedVariablesAreTheContentVariablesSent() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getLoopbackAddress(), 0);
            server.enqueue(TwilioJson.created("SM0123456789abcdef0123456789abcdef", "whatsapp:" + TestValues.TO,
                    "whatsapp:+14155238886", "queued", "1"));
            try (Channel whatsapp = WhatsAppChannel.open(config(server))) {
                TemplateVariables vars = TemplateVariables.of(Samples.appointmentConfirmation(), "Grace", "Friday 10 am");
                whatsapp.send(Message.template(TestValues.TO, vars.template(ContentSid.of(SID))));
            }
            FormBody sent = FormBody.parse(server.takeRequest().getBody().utf8());
            assertEquals(SID, sent.first("ContentSid").orElseThrow());
            assertEquals("{\"1\":\"Grace\",\"2\":\"Friday 10 am\"}", sent.first("ContentVariables").orElseThrow());
            assertEquals(1, server.getRequestCount());
        }
    }

    @Test
    void aMissingVariableFailsBeforeAnyRequest() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getLoopbackAddress(), 0);
            try (Channel whatsapp = WhatsAppChannel.open(config(server))) {
                assertThrows(InvalidMessageException.class, () -> whatsapp.send(Message.template(TestValues.TO,
                        TemplateVariables.of(Samples.appointmentConfirmation(), "Grace").template(ContentSid.of(SID)))));
            }
            assertEquals(0, server.getRequestCount());
        }
    }

    private static TwilioConfig config(MockWebServer server) {
        return TwilioConfig.builder().credentials(TestValues.credentials()).whatsAppFrom(WhatsAppAddress.SANDBOX)
                .apiBaseUrl(URI.create("http://127.0.0.1:" + server.getPort())).build();
    }
}
