package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The parts of the webhook endpoint that do not need a server. */
class TwilioWebhookControllerTest {

    @Test
    void bodyParametersLeaveOutTheQuerysValues() {
        MockHttpServletRequest r = new MockHttpServletRequest("POST", "/twilio/inbound");
        r.setQueryString("tenant=blue&From=x%2By");
        r.addParameter("tenant", "blue");
        r.addParameter("From", "x+y");
        r.addParameter("From", "+14155550100");
        r.addParameter("Body", "Hi");

        assertEquals(Map.of("From", List.of("+14155550100"), "Body", List.of("Hi")),
                TwilioWebhookController.bodyParameters(r));
        assertEquals("http://localhost/twilio/inbound?tenant=blue&From=x%2By", TwilioWebhookController.receivedUrl(r));
    }

    @Test
    void recentDeliveriesRememberAnswersAndForgetTheOldest() {
        RecentDeliveries recent = new RecentDeliveries(2);
        assertEquals(Optional.empty(), recent.claim("a"));
        assertEquals(Optional.of(""), recent.claim("a"), "pending while the first delivery is handled");
        recent.answered("a", "<Response/>");
        assertEquals(Optional.of("<Response/>"), recent.claim("a"));
        recent.claim("b");
        recent.claim("c");
        assertEquals(2, recent.size());
        assertEquals(Optional.empty(), recent.claim("a"), "the oldest key was forgotten");
        recent.forget("a");
        assertEquals(Optional.empty(), recent.claim("a"), "a failed delivery is handled again");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RecentDeliveries(0));
        assertTrue(e.getMessage().contains("twilio.webhooks.deduplication-capacity"));
    }

    @Test
    void channelBeanNames() {
        assertEquals("smsChannel", ChannelBeanRegistrar.beanName("sms"));
        assertEquals("whatsappChannel", ChannelBeanRegistrar.beanName("whatsapp"));
        assertEquals("myPlugInChannel", ChannelBeanRegistrar.beanName("my-plug-in"));
    }
}
