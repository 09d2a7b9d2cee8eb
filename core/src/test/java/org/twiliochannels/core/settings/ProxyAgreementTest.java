package org.twiliochannels.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.twiliochannels.core.settings.SettingsRegistryTest.good;
import static org.twiliochannels.core.settings.SettingsRegistryTest.read;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.twiliochannels.core.HttpProxy;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.settings.SetupReport.Finding;

/**
 * The doctor and the transport read proxy settings with the same code: whatever the doctor says
 * about the API host (through the proxy, or reached directly) is what the configuration it builds
 * makes the transport do ({@link HttpProxy#bypasses}, which the transport calls), and
 * {@code NO_PROXY} is read as curl reads it.
 */
class ProxyAgreementTest {
    private static String proxyFinding(TwilioEnvironment settings) {
        SetupReport r = settings.check();
        return r.findings().stream().filter(f -> f.key().equals("proxy")).map(Finding::message).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(r.toText()));
    }

    /** The doctor's word on the API host and the transport's decision for it, for one set of settings. */
    private static void agree(TwilioEnvironment settings, boolean direct) {
        TwilioConfig config = settings.toConfig();
        HttpProxy proxy = config.proxy().orElseThrow();
        String message = proxyFinding(settings);
        assertEquals(direct, proxy.bypasses(config.apiHost()), "transport for " + config.apiHost() + ": " + proxy);
        assertEquals(direct, message.contains("not used for " + config.apiHost()), "doctor: " + message);
    }

    @Test
    void aWildcardDomainDoesNotCoverTheDomainItselfForTheDoctorEither() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "proxy.example.com");
        props.setProperty("https.proxyPort", "3128");
        props.setProperty("http.nonProxyHosts", "*.twilio-gw.internal");
        Map<String, String> env = good();
        env.put(TwilioEnvironment.API_BASE_URL, "https://twilio-gw.internal:8443");
        agree(read(env, props), false);
        env.put(TwilioEnvironment.API_BASE_URL, "https://api.twilio-gw.internal:8443");
        agree(read(env, props), true);
    }

    @Test
    void anAddressRangeInNoProxyIsReachedDirectlyForBoth() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "http://proxy.example.com:3128");
        env.put(TwilioEnvironment.NO_PROXY, "10.0.0.0/8");
        env.put(TwilioEnvironment.API_BASE_URL, "https://10.1.2.3:8443");
        agree(read(env, new Properties()), true);
        env.put(TwilioEnvironment.API_BASE_URL, "https://11.1.2.3:8443");
        agree(read(env, new Properties()), false);
    }

    @Test
    void noProxyIsReadAsCurlReadsItWithDomainsAndPorts() {
        Map<String, String> env = good();
        env.put(TwilioEnvironment.HTTPS_PROXY, "http://proxy.example.com:3128");
        for (String listed : List.of("twilio.com", ".twilio.com", "api.twilio.com:443", "localhost, twilio.com", "*")) {
            env.put(TwilioEnvironment.NO_PROXY, listed);
            agree(read(env, new Properties()), true);
        }
        for (String listed : List.of("nottwilio.com", "api.twilio.co", "localhost")) {
            env.put(TwilioEnvironment.NO_PROXY, listed);
            agree(read(env, new Properties()), false);
        }
    }

    @Test
    void theDoctorAndHttpProxyReadTheJvmPropertiesAlike() {
        Properties props = new Properties();
        props.setProperty("https.proxyHost", "proxy.example.com");
        props.setProperty("https.proxyPort", "3128");
        TwilioConfig config = read(good(), props).toConfig();
        assertEquals(HttpProxy.fromSystemProperties(props), config.proxy());
        assertTrue(config.proxy().orElseThrow().bypasses("localhost"), "Java's default http.nonProxyHosts applies");
    }

    @Test
    void theDoctorAndHttpProxyReadTheVariablesAlike() {
        Map<String, String> env = good();
        env.put("https_proxy", "http://alice:fake-pw@proxy.example.com:3128");
        env.put(TwilioEnvironment.NO_PROXY, "localhost:8080 .internal.example.com,[::1]");
        assertEquals(HttpProxy.fromEnvironment(env), read(env, new Properties()).toConfig().proxy());
    }
}
