package org.twiliochannels.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.twiliochannels.testing.FakeTwilio;

/** The example as a fresh clone runs it: no credentials, so everything goes through the fake. */
@Timeout(120)
class BootExampleTest {

    @Test
    void sendsOnStartUpAndHandlesTheFakesWebhooks() {
        assumeTrue(System.getenv("TWILIO_ACCOUNT_SID") == null, "runs only without credentials");
        try (ConfigurableApplicationContext context = BootExample.application(new String[0]).run("--server.port=0")) {
            FakeTwilio fake = context.getBean(FakeTwilio.class);
            assertEquals("Hello from Spring Boot", fake.sentTo(org.twiliochannels.core.Address.parse("+14155550100")).get(0).body().orElseThrow());
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertEquals(1.0, meters.get("twilio.messages.sent").tag("outcome", "accepted").counter().count());
            assertEquals(1.0, meters.get("twilio.webhook.verifications").tag("kind", "inbound")
                    .tag("result", "accepted").counter().count());
            assertEquals(2.0, meters.get("twilio.webhook.verifications").tag("kind", "status")
                    .tag("result", "accepted").counter().count());
        }
    }
}
