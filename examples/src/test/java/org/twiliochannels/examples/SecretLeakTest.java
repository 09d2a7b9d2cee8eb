package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.twiliochannels.core.Channel;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.TwilioChannelsException;
import org.twiliochannels.core.testsupport.CapturedOutput;
import org.twiliochannels.sms.SmsChannel;
import org.twiliochannels.testing.FakeTwilio;
import org.twiliochannels.testing.Fault;

/**
 * Runs the doctor and the send paths with a known token, DEBUG logging on, and scans everything
 * printed and logged for the token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretLeakTest {
    @Test
    void noOutputOrLogLineContainsTheAuthToken() {
        StringBuilder printed = new StringBuilder();
        String token;
        String basic;
        try (FakeTwilio twilio = FakeTwilio.start()) {
            token = twilio.authToken().revealSecret();
            basic = Base64.getEncoder().encodeToString((twilio.accountSid().value() + ":" + token)
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, String> env = new HashMap<>();
            env.put("TWILIO_ACCOUNT_SID", twilio.accountSid().value());
            env.put("TWILIO_AUTH_TOKEN", token);
            env.put("TWILIO_PHONE_NUMBER", FakeTwilio.DEFAULT_SMS_NUMBER.value());
            env.put("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886");
            env.put("TWILIO_API_BASE_URL", twilio.baseUrl().toString());
            twilio.failNext(Fault.serverError(503), Fault.rateLimited(java.time.Duration.ZERO));
            String captured = CapturedOutput.of(() -> {
                for (String[] args : new String[][] {
                        {"doctor"}, {"doctor", "--live"}, {"doctor", "--live", "--json"},
                        {"send", "sms", "--to", "+14155551234", "--body", "unknown outcome"},
                        {"send", "sms", "--to", "+14155551234", "--body", "retried after 429"},
                        {"send", "sms", "--to", "+15005550001", "--body", "rejected"},
                        {"send", "whatsapp", "--to", "+14155551234", "--body", "sandbox not joined"},
                        {"templates", "list"}, {"templates", "status", "nope"}}) {
                    CliTest.Run r = CliTest.run(env, args);
                    printed.append(r.out()).append(r.err());
                }
                Map<String, String> wrongToken = new HashMap<>(env);
                wrongToken.put("TWILIO_AUTH_TOKEN", token.substring(1) + "0");
                CliTest.Run r = CliTest.run(wrongToken, "send", "sms", "--to", "+14155551234", "--body", "401");
                printed.append(r.out()).append(r.err());
                Map<String, String> quoted = new HashMap<>(env);
                quoted.put("TWILIO_AUTH_TOKEN", "\"" + token + "\"");
                r = CliTest.run(quoted, "doctor");
                printed.append(r.out()).append(r.err());
                try (Channel sms = SmsChannel.open(twilio.config().build())) {
                    printed.append(sms).append(twilio.config().build());
                    try {
                        sms.send(Message.text("+15005550009", "library path"));
                    } catch (TwilioChannelsException e) {
                        printed.append(e).append(e.getMessage());
                    }
                }
            });
            printed.append(captured);
            assertTrue(twilio.sent().size() >= 1, "the scenario should have sent something");
        }
        String all = printed.toString();
        assertTrue(all.contains("DEBUG"), "DEBUG logging should have been captured");
        assertTrue(all.contains("20003") || all.contains("Authenticate"), "the 401 path should have run");
        assertFalse(all.contains(token), "the auth token leaked");
        assertFalse(all.contains(basic), "the Basic credentials leaked");
        assertFalse(all.contains(token.substring(0, 16)), "half of the auth token leaked");
    }
}
