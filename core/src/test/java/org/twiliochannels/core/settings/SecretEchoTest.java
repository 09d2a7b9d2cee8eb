package org.twiliochannels.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;
import org.twiliochannels.core.testsupport.TestValues;

/**
 * A token or API secret put in any setting that is not secret is never echoed: not in the report's
 * text or JSON, not in the exception of {@code toConfig()}, not in {@code toString()} or the
 * settings shown. Every key that is not secret, times every way a secret arrives there.
 */
class SecretEchoTest {
    /** The configured API secret: mixed case, as Twilio issues them. */
    private static final String API_SECRET = "AbCdEfGh0123456789AbCdEfGh012345";
    /** A token of the right shape that is configured nowhere. */
    private static final String OTHER_TOKEN = "0badc0de0badc0de0badc0de0badc0de";

    private static final List<String> NOT_SECRET = List.of(TwilioEnvironment.ACCOUNT_SID, TwilioEnvironment.API_KEY,
            TwilioEnvironment.PHONE_NUMBER, TwilioEnvironment.MESSAGING_SERVICE_SID, TwilioEnvironment.WHATSAPP_FROM,
            TwilioEnvironment.STATUS_CALLBACK, TwilioEnvironment.API_BASE_URL, TwilioEnvironment.REGION,
            TwilioEnvironment.EDGE, TwilioEnvironment.HTTPS_PROXY, TwilioEnvironment.NO_PROXY, "TWILIO_MESSENGER_FROM");

    /** How a secret arrives in the wrong setting: as is, quoted, prefixed, with a newline. */
    private static final List<String> FORMS = List.of("%s", "\"%s\"", "whatsapp:%s", "%s\n", "+%s");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String key : NOT_SECRET) {
            for (String form : FORMS) {
                out.add(Arguments.of(key, String.format(form, TestValues.AUTH_TOKEN), TestValues.AUTH_TOKEN, false));
            }
            out.add(Arguments.of(key, OTHER_TOKEN, OTHER_TOKEN, false));
            String token = TestValues.AUTH_TOKEN;
            out.add(Arguments.of(key, token.substring(0, 16) + "\u200b" + token.substring(16), token, false));
            out.add(Arguments.of(key, "\u00a0" + token, token, false));
            out.add(Arguments.of(key, fullWidth(token), fullWidth(token), false));
            out.add(Arguments.of(key, API_SECRET, API_SECRET, true));
        }
        return out.stream();
    }

    /** {@code value} in full-width letters and digits, as some keyboards type them. */
    private static String fullWidth(String value) {
        StringBuilder s = new StringBuilder();
        value.chars().forEach(c -> s.append((char) (c + 0xfee0)));
        return s.toString();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("cases")
    void aSecretInASettingThatIsNotSecretIsNeverEchoed(String key, String value, String secret, boolean apiKey) {
        Map<String, String> env = new HashMap<>();
        env.put(TwilioEnvironment.ACCOUNT_SID, TestValues.ACCOUNT_SID);
        if (apiKey) {
            env.put(TwilioEnvironment.API_KEY, "SK00000000000000000000000000000002");
            env.put(TwilioEnvironment.API_SECRET, API_SECRET);
        } else {
            env.put(TwilioEnvironment.AUTH_TOKEN, TestValues.AUTH_TOKEN);
        }
        env.put(TwilioEnvironment.PHONE_NUMBER, "+14155550100");
        env.put(key, value);
        TwilioEnvironment settings = TwilioEnvironment.builder().noEnvFile().systemProperties(new Properties())
                .environment(env).read();

        SetupReport report = settings.check();
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class, settings::toConfig);
        List<String> outputs = List.of(report.toText(), report.toJson(), e.getMessage(), settings.toString(),
                settings.settings().toString(), String.valueOf(settings.setting(key)));
        for (String output : outputs) {
            assertFalse(output.contains(secret), output);
            assertFalse(output.contains(secret.substring(0, 12)), output);
        }
        Finding f = report.problems().stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(report.toText()));
        assertEquals(Severity.PROBLEM, f.severity());
        assertTrue(f.message().startsWith("looks like an auth token or API secret (not shown); it belongs in"
                + " TWILIO_AUTH_TOKEN or TWILIO_API_SECRET, never here. " + key + " takes "), f.message());
        assertTrue(settings.setting(key).orElseThrow().redacted());
    }

    @Test
    void aRightValueIsShownAndASecretIsNot() {
        Map<String, String> env = Map.of(TwilioEnvironment.ACCOUNT_SID, TestValues.ACCOUNT_SID,
                TwilioEnvironment.AUTH_TOKEN, TestValues.AUTH_TOKEN, TwilioEnvironment.PHONE_NUMBER, "+14155550100");
        TwilioEnvironment settings = TwilioEnvironment.builder().noEnvFile().systemProperties(new Properties())
                .environment(env).read();
        assertEquals(new TwilioEnvironment.Setting(TwilioEnvironment.PHONE_NUMBER, "+14155550100", "env", false),
                settings.setting(TwilioEnvironment.PHONE_NUMBER).orElseThrow());
        assertEquals(new TwilioEnvironment.Setting(TwilioEnvironment.AUTH_TOKEN, "(secret, not shown)", "env", true),
                settings.setting(TwilioEnvironment.AUTH_TOKEN).orElseThrow());
    }
}
