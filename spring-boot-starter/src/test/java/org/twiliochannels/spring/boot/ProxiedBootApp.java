package org.twiliochannels.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;

/**
 * A Boot application as a user writes one, run in its own JVM by {@link BootProxyProcessTest} with
 * the environment variables and JVM properties under test: prints the health indicator's API host
 * and proxy, sends one SMS through the {@code smsChannel} bean, and prints the receipt.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({TwilioAutoConfiguration.class, TwilioHealthAutoConfiguration.class})
public class ProxiedBootApp {
    /** Creates the configuration (by Spring). */
    public ProxiedBootApp() {}

    /** Starts the application, sends one message, stops. */
    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProxiedBootApp.class)
                .web(WebApplicationType.NONE).run(args)) {
            var details = context.getBean("twilioHealthIndicator", HealthIndicator.class).health().getDetails();
            System.out.println("HEALTH api host=" + details.get("api host"));
            System.out.println("HEALTH proxy=" + details.get("proxy"));
            Receipt receipt = context.getBean("smsChannel", Channel.class).send(Message.text("+14155550100",
                    "Through the proxy"));
            System.out.println("RECEIPT " + receipt.sid().value() + " " + receipt.status());
        }
    }
}
