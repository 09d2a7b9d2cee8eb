package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioAccount;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.content.ApprovalStatus;
import org.twiliochannels.core.inbound.InboundEvent;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.core.inbound.InboundRouter;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.TwilioWebhook;
import org.twiliochannels.core.webhook.WebhookVerifier;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.whatsapp.content.ContentTemplate;
import org.twiliochannels.whatsapp.content.ContentTemplates;
import org.twiliochannels.whatsapp.content.SessionWindow;
import org.twiliochannels.whatsapp.content.TemplateCategory;
import org.twiliochannels.whatsapp.content.WhatsAppTemplates;

/**
 * docs/templates.md's appointment confirmation end to end: deployed, submitted, approved at the fake,
 * sent outside the window, and the pressed button's payload routed by the inbound router.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ButtonAnswerRoundTripTest {
    private static final String ADA = "+14155551234";

    @Test
    void theConfirmationIsSentAndThePressedButtonReachesItsHandler() throws Exception {
        List<TwilioWebhook> events = new CopyOnWriteArrayList<>();
        ContentTemplate confirmation = ContentTemplates.read(new java.io.ByteArrayInputStream(
                CliTemplatesTest.FILE.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "whatsapp-templates.json").get(0);
        try (FakeTwilio twilio = FakeTwilio.start().joinSandbox(PhoneNumber.of(ADA)).closeSessionWindow(PhoneNumber.of(ADA));
             TwilioAccount account = TwilioAccount.open(twilio.config().build());
             WebhookServer server = WebhookServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     WebhookVerifier.builder(twilio.accountSid(), twilio.authToken()).build(), events::add)) {
            WhatsAppTemplates templates = WhatsAppTemplates.builder(account).build();
            var sid = templates.deploy(confirmation).sid();
            templates.submit(confirmation, TemplateCategory.UTILITY);
            twilio.templateStatus(sid, ApprovalStatus.APPROVED);
            templates.poll();

            Receipt sent = account.channel("whatsapp").send(Message.template(ADA,
                    templates.template(confirmation, SessionWindow.CLOSED, Map.of("1", "Grace", "2", "Friday 10 am"))));

            assertEquals(200, twilio.pressButton(server.baseUrl() + "/twilio/inbound", WhatsAppAddress.of("whatsapp:" + ADA),
                    WhatsAppAddress.SANDBOX, sent.sid(), "confirm", "Yes, I'll be there"));
            InboundMessage pressed = assertInstanceOf(InboundMessage.class, events.get(events.size() - 1));

            List<InboundEvent> routed = new CopyOnWriteArrayList<>();
            InboundRouter router = InboundRouter.builder(ConsentLedger.inMemory())
                    .buttonPayload("confirm", e -> {
                        routed.add(e);
                        return InboundReply.message("Confirmed, see you then.");
                    })
                    .build();
            String twiml = router.route(pressed).twiml();
            assertEquals(1, routed.size());
            assertEquals(Optional.of(new InboundEvent.Button("confirm", "Yes, I'll be there")), routed.get(0).button());
            assertEquals(Optional.of(sent.sid().value()), routed.get(0).repliedTo());
            org.junit.jupiter.api.Assertions.assertTrue(twiml.contains("Confirmed, see you then."), twiml);
        }
    }
}
