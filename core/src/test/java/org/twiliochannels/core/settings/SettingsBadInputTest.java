package org.twiliochannels.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.twiliochannels.core.settings.SettingsRegistryTest.finding;
import static org.twiliochannels.core.settings.SettingsRegistryTest.good;
import static org.twiliochannels.core.settings.SettingsRegistryTest.read;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.ChannelConfigurationException;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;
import org.twiliochannels.core.testsupport.TestValues;

/**
 * The doctor on values that are not what a key takes: user info in URLs (never shown), values far
 * too long (refused at once), and invisible or look-alike characters (named, with the fix).
 */
class SettingsBadInputTest {
    /** Everything the settings print: report text and JSON, the exception, toString, the settings shown. */
    private static List<String> outputs(TwilioEnvironment settings) {
        SetupReport report = settings.check();
        String exception = "";
        try {
            settings.toConfig();
        } catch (ChannelConfigurationException e) {
            exception = e.getMessage();
        }
        return List.of(report.toText(), report.toJson(), exception, settings.toString(),
                settings.settings().toString());
    }

    @Test
    void userInfoOfAnApiBaseUrlIsNeverShown() {
        for (String url : List.of("http://user:hunter2@localhost:8080", "http://user:hunter2@local host:8080",
                "http://user:hunter2@localhost:99999", "ftp://user:hunter2@localhost")) {
            Map<String, String> env = good();
            env.put(TwilioEnvironment.API_BASE_URL, url);
            TwilioEnvironment settings = read(env);
            for (String output : outputs(settings)) {
                assertFalse(output.contains("hunter2"), output);
                assertFalse(output.contains("//user"), output);
            }
            assertEquals(Severity.PROBLEM, finding(settings.check(), TwilioEnvironment.API_BASE_URL).severity());
        }
        Map<String, String> env = good();
        env.put(TwilioEnvironment.API_BASE_URL, "http://user:hunter2@localhost:8080");
        assertEquals("TwilioEnvironment[TWILIO_ACCOUNT_SID=" + TestValues.ACCOUNT_SID + " (env), TWILIO_AUTH_TOKEN="
                + "(secret, not shown) (env), TWILIO_PHONE_NUMBER=+14155550100 (env), TWILIO_API_BASE_URL="
                + "http://[user info removed]@localhost:8080 (env)]", read(env).toString());
    }

    @Test
    void aStatusCallbackWithCredentialsIsUsedButItsUserInfoNeverShown() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.STATUS_CALLBACK, "https://cb:hunter2@status.acme.io/twilio/status");
        TwilioEnvironment settings = read(env);
        assertEquals("https://cb:hunter2@status.acme.io/twilio/status",
                settings.toConfig().statusCallback().orElseThrow().toString());
        assertEquals(new Finding(Severity.OK, TwilioEnvironment.STATUS_CALLBACK, "env",
                "https://[user info removed]@status.acme.io/twilio/status"),
                finding(settings.check(), TwilioEnvironment.STATUS_CALLBACK));
        for (String output : outputs(settings)) {
            assertFalse(output.contains("hunter2"), output);
        }
    }

    @Test
    void aTokenInsideAnotherValueIsNeitherShownNorQuoted() {
        Map<String, String> env = good();
        String other = "0badc0de0badc0de0badc0de0badc0de";
        env.put(TwilioEnvironment.ACCOUNT_SID, "TWILIO_AUTH_TOKEN=" + other);
        TwilioEnvironment settings = read(env);
        for (String output : outputs(settings)) {
            assertFalse(output.contains(other.substring(0, 12)), output);
        }
        assertEquals("(looks like a secret, not shown)",
                settings.setting(TwilioEnvironment.ACCOUNT_SID).orElseThrow().display());
        assertEquals("Account SID looks like an auth token (32 hex characters): it belongs in TWILIO_AUTH_TOKEN, not"
                + " here. " + Keys.ACCOUNT.fix(), finding(settings.check(), TwilioEnvironment.ACCOUNT_SID).message());
    }

    @Test
    void aSuggestedAsciiFormNeverShowsAProxyPassword() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "http://user:hunter2@proxy.acme.io:3128\u200b");
        TwilioEnvironment settings = read(env);
        assertEquals("has U+200B ZERO WIDTH SPACE at position 39, an invisible character; remove it. "
                + Keys.PROXY.fix(), finding(settings.check(), TwilioEnvironment.HTTPS_PROXY).message());
        for (String output : outputs(settings)) {
            assertFalse(output.contains("hunter2"), output);
        }
    }

    @Test
    void aValueFarTooLongIsRefusedAtOnce() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.STATUS_CALLBACK, "https://example.org/" + "a".repeat(199_980));
        env.put("TWILIO_MESSENGER_FROM", "1".repeat(5000));
        SetupReport r = read(env).check();
        assertEquals(new Finding(Severity.PROBLEM, TwilioEnvironment.STATUS_CALLBACK, "env",
                "is too long (200000 characters, at most 4096). " + Keys.CALLBACK.fix()),
                finding(r, TwilioEnvironment.STATUS_CALLBACK));
        assertEquals("is too long (5000 characters, at most 4096). Give the sender of channel plug-in \"messenger\""
                + " as the plug-in documents it.", finding(r, "TWILIO_MESSENGER_FROM").message());
        assertTrue(r.toText().length() < 5000, r.toText());
    }

    @Test
    void aZeroWidthSpaceInTheTokenIsNamedNotCounted() {
        Map<String, String> env = good();
        String token = TestValues.AUTH_TOKEN;
        env.put(TwilioEnvironment.AUTH_TOKEN, token.substring(0, 16) + "\u200b" + token.substring(16));
        SetupReport r = read(env).check();
        assertEquals(new Finding(Severity.PROBLEM, TwilioEnvironment.AUTH_TOKEN, "env", "has U+200B ZERO WIDTH SPACE"
                + " at position 17, an invisible character; remove it. " + Keys.TOKEN.fix()),
                finding(r, TwilioEnvironment.AUTH_TOKEN));
        assertFalse(r.toText().contains(token.substring(0, 12)), r.toText());
    }

    @Test
    void lookAlikeCharactersAreNamedWithTheAsciiForm() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.PHONE_NUMBER, "\uff0b\uff11\uff14\uff11\uff15\uff15\uff15\uff15\uff10\uff11\uff10"
                + "\uff10");
        env.put(TwilioEnvironment.REGION, "ie1\u00a0");
        env.put(TwilioEnvironment.EDGE, "dubl\u0456n");
        env.put("TWILIO_MESSENGER_FROM", "12\u200b34");
        SetupReport r = read(env).check();
        assertEquals("has U+FF0B FULLWIDTH PLUS SIGN at position 1, which is not ASCII; write it as"
                + " \"+14155550100\". " + Keys.PHONE.fix(), finding(r, TwilioEnvironment.PHONE_NUMBER).message());
        assertEquals("has U+00A0 NO-BREAK SPACE at position 4, a space that is not the ASCII space; write it as"
                + " \"ie1\". " + Keys.REGION_KEY.fix(), finding(r, TwilioEnvironment.REGION).message());
        assertEquals("has U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I at position 5, which is not ASCII;"
                + " retype it. " + Keys.EDGE_KEY.fix(), finding(r, TwilioEnvironment.EDGE).message());
        assertEquals("has U+200B ZERO WIDTH SPACE at position 3, an invisible character; write it as \"1234\". Give"
                + " the sender of channel plug-in \"messenger\" as the plug-in documents it.",
                finding(r, "TWILIO_MESSENGER_FROM").message());
        for (Finding f : r.problems()) {
            assertEquals(Severity.PROBLEM, f.severity());
        }
        assertThrows(ChannelConfigurationException.class, () -> read(env).toConfig());
    }
}
