package org.twiliochannels.examples.boot;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.inbound.InboundReply;
import org.twiliochannels.outbox.Conversations;
import org.twiliochannels.core.webhook.InboundMessage;
import org.twiliochannels.core.webhook.StatusCallback;
import org.twiliochannels.spring.boot.InboundRoutes;
import org.twiliochannels.testing.FakeTwilio;

/**
 * A Spring Boot application using the starter. On start-up it sends an SMS through the injected
 * {@code smsChannel}; it prints the delivery updates Twilio posts to {@code /twilio/status}, answers
 * messages sent to {@code /twilio/inbound}, and shows health and metrics under {@code /actuator}.
 * With no {@code TWILIO_ACCOUNT_SID} set it starts a fake Twilio on loopback, sends there, and has
 * the fake deliver the message and send one inbound message, and runs the appointment flow
 * ({@link AppointmentFlow}: each step a line starting with {@code conversation:}), so all of it
 * runs offline:
 *
 * <pre>
 * mvn -q -DskipTests package -pl examples-spring-boot -am
 * java -jar examples-spring-boot/target/twilio-channels-boot-example.jar [--example.to=+14155550100]
 * </pre>
 */
@SpringBootApplication
public class BootExample {

    /** Runs the example until stopped (or right after the demo with {@code --example.exit-after-start=true}). */
    public static void main(String[] args) {
        application(args).run(args);
    }

    /** The application, pointed at a fresh fake Twilio when no credentials are configured. */
    static SpringApplication application(String[] args) {
        SpringApplication app = new SpringApplication(BootExample.class);
        if (!credentialsGiven(args)) {
            FakeTwilio fake = FakeTwilio.start();
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("twilio.account-sid", fake.accountSid().value());
            defaults.put("twilio.auth-token", fake.authToken().revealSecret());
            defaults.put("twilio.api-base-url", fake.baseUrl().toString());
            defaults.put("twilio.phone-number", FakeTwilio.DEFAULT_SMS_NUMBER.value());
            defaults.put("example.answer-timeout", "PT2S");
            app.setDefaultProperties(defaults);
            app.addInitializers(context -> {
                context.getBeanFactory().registerSingleton("fakeTwilio", fake);
                context.addApplicationListener(event -> {
                    if (event instanceof ContextClosedEvent) {
                        fake.close();
                    }
                });
            });
            System.out.println("No TWILIO_ACCOUNT_SID set: sending to a fake Twilio on " + fake.baseUrl()
                    + " (nothing leaves this machine).");
        }
        return app;
    }

    private static boolean credentialsGiven(String[] args) {
        for (String a : args) {
            if (a.startsWith("--twilio.account-sid=") || a.startsWith("--TWILIO_ACCOUNT_SID=")) {
                return true;
            }
        }
        return System.getenv("TWILIO_ACCOUNT_SID") != null || System.getProperty("twilio.account-sid") != null
                || System.getProperty("TWILIO_ACCOUNT_SID") != null;
    }

    /**
     * Replies to inbound messages no question or rule took, except to keywords (Twilio answers
     * STOP, START and HELP itself).
     */
    @Bean
    InboundRoutes replies() {
        return routes -> routes.fallback(e -> e.message().keyword().isPresent() ? InboundReply.none()
                : InboundReply.message("Thanks! We got your message (" + e.message().body().length() + " characters)."));
    }

    /** Verified inbound messages arrive as application events. */
    @EventListener
    public void inbound(InboundMessage message) {
        System.out.println("inbound: " + message.messageSid() + " on " + message.channel() + ": \"" + message.body()
                + "\"");
    }

    /** So do delivery updates. */
    @EventListener
    public void status(StatusCallback callback) {
        System.out.println("status: " + callback.messageSid() + " is " + callback.status().twilioName()
                + callback.errorCode().stream().mapToObj(c -> " (error " + c + ")").findFirst().orElse(""));
    }

    /** Sends once the web server is up (so the status callback URL answers). */
    @EventListener
    public void ready(ApplicationReadyEvent event) {
        ApplicationContext context = event.getApplicationContext();
        Environment env = context.getEnvironment();
        int port = context instanceof WebServerApplicationContext w ? w.getWebServer().getPort() : 8080;
        String base = "http://localhost:" + port;
        Channel sms = context.getBean("smsChannel", Channel.class);
        String to = env.getProperty("example.to", "+14155550100");
        Receipt receipt = sms.send(Message.builder().to(to).body("Hello from Spring Boot")
                .statusCallback(URI.create(env.getProperty("example.status-callback", base + "/twilio/status")))
                .build());
        System.out.println("sent: " + receipt.sid() + " " + receipt.status().twilioName() + " to " + receipt.to().masked());
        ObjectProvider<FakeTwilio> fake = context.getBeanProvider(FakeTwilio.class);
        fake.ifAvailable(twilio -> {
            twilio.deliver(receipt.sid());
            int answered = twilio.sendInbound(base + "/twilio/inbound", receipt.to(), FakeTwilio.DEFAULT_SMS_NUMBER,
                    "Is my table ready?", Map.of());
            System.out.println("inbound message posted by the fake: HTTP " + answered);
            appointments(context, twilio, base);
        });
        System.out.println("health:  " + base + "/actuator/health");
        System.out.println("metrics: " + base + "/actuator/metrics/twilio.messages.sent");
        if (env.getProperty("example.exit-after-start", Boolean.class, false)) {
            if (fake.getIfAvailable() != null) {
                waitForTheFlow(context);
            }
            System.exit(SpringApplication.exit(context));
        }
    }

    /** The appointment flow against the fake: one person answers YES, one C, one stays silent. */
    private static void appointments(ApplicationContext context, FakeTwilio twilio, String base) {
        Conversations conversations = context.getBean(Conversations.class);
        String ours = FakeTwilio.DEFAULT_SMS_NUMBER.value();
        String[][] people = {{"+14155550111", "Tuesday 10:00", "YES"}, {"+14155550112", "Wednesday 9:30", "C"},
                {"+14155550113", "Thursday 15:00", null}};
        for (String[] p : people) {
            Address person = Address.parse(p[0]);
            AppointmentFlow.remind(conversations, person, ours, p[1]);
            if (p[2] != null) {
                twilio.sendInbound(base + "/twilio/inbound", person, FakeTwilio.DEFAULT_SMS_NUMBER, p[2], Map.of());
            }
        }
    }

    private static void waitForTheFlow(ApplicationContext context) {
        try {
            if (!context.getBean(AppointmentFlow.class).awaitCallback(30)) {
                System.out.println("conversation: the flow did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
