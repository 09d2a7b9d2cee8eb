package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.spi.ChannelPolicy;
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.core.testsupport.TestValues;

class ChannelsTest {
    static final ChannelPolicy POLICY = mock(ChannelPolicy.class);

    /** A provider for the tests. */
    public static final class AlphaProvider implements ChannelProvider {
        @Override
        public String id() {
            return "alpha";
        }

        @Override
        public String description() {
            return "test channel";
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public ChannelPolicy policy(TwilioConfig config) {
            return POLICY;
        }
    }

    /** A provider built for a newer SPI than this core. */
    public static final class FutureProvider implements ChannelProvider {
        @Override
        public String id() {
            return "future";
        }

        @Override
        public String description() {
            return "from the future";
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION + 1;
        }

        @Override
        public ChannelPolicy policy(TwilioConfig config) {
            throw new AssertionError("never asked");
        }
    }

    /** A second provider claiming the same id. */
    public static final class AlphaTwinProvider implements ChannelProvider {
        @Override
        public String id() {
            return "alpha";
        }

        @Override
        public String description() {
            return "twin";
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public ChannelPolicy policy(TwilioConfig config) {
            throw new AssertionError("not opened");
        }
    }

    @TempDir
    Path dir;

    private ClassLoader loaderListing(String... providerClasses) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ChannelProvider.class.getName()), String.join("\n", providerClasses) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    private static TwilioConfig config() {
        return TwilioConfig.builder().credentials(TestValues.credentials()).build();
    }

    @Test
    void opensTheProviderWithTheRequestedId() throws IOException {
        ClassLoader loader = loaderListing(AlphaProvider.class.getName());
        assertEquals(List.of("alpha"), Channels.available(loader));
        try (Channel alpha = Channels.open("alpha", config(), loader)) {
            assertEquals("alpha", alpha.id());
            assertEquals("Channel[alpha, " + POLICY.describe() + "]", alpha.toString());
        }
    }

    @Test
    void accountGivesOneViewPerIdAndClosingAViewLeavesTheAccountOpen() throws IOException {
        ClassLoader loader = loaderListing(AlphaProvider.class.getName());
        try (TwilioAccount account = TwilioAccount.builder(config()).classLoader(loader).build()) {
            Channel alpha = account.channel("alpha");
            assertSame(alpha, account.channel("alpha"));
            assertSame(account, alpha.account());
            assertEquals(List.of("alpha"), account.availableChannels());
            alpha.close();
            assertSame(alpha, account.channel("alpha"));
        }
    }

    @Test
    void providerBuiltForANewerSpiIsRefusedNamingBothVersionsAndTheArtifact() throws IOException {
        ClassLoader loader = loaderListing(FutureProvider.class.getName());
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> Channels.available(loader));
        assertEquals("The channel provider " + FutureProvider.class.getName() + " (\"future\") was built for channel"
                + " SPI version " + (ChannelProvider.SPI_VERSION + 1) + ", but twilio-channels-core on the class path"
                + " has SPI version " + ChannelProvider.SPI_VERSION + ": upgrade org.twiliochannels:twilio-channels-core"
                + " to a version with SPI " + (ChannelProvider.SPI_VERSION + 1) + ".", e.getMessage());
    }

    @Test
    void unknownIdListsTheIdsFoundAndTheArtifactToAdd() throws IOException {
        ClassLoader loader = loaderListing(AlphaProvider.class.getName());
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> Channels.open("whatsapp", config(), loader));
        assertEquals("No channel \"whatsapp\" on the class path (found: alpha). Add the Maven dependency"
                + " org.twiliochannels:twilio-channels-whatsapp to use it.", e.getMessage());
    }

    @Test
    void noProvidersAtAllSaysNoneAndNamesBothArtifactsForAnUnknownId() {
        ClassLoader empty = new URLClassLoader(new URL[0], getClass().getClassLoader());
        assertEquals(List.of(), Channels.available(empty));
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> Channels.open("telegram", config(), empty));
        assertEquals("No channel \"telegram\" on the class path (found: none). twilio-channels provides \"sms\""
                + " (org.twiliochannels:twilio-channels-sms) and \"whatsapp\" (org.twiliochannels:twilio-channels-whatsapp);"
                + " another channel needs its provider's jar.", e.getMessage());
    }

    @Test
    void duplicateIdListsBothClasses() throws IOException {
        ClassLoader loader = loaderListing(AlphaProvider.class.getName(), AlphaTwinProvider.class.getName());
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> Channels.available(loader));
        assertEquals("Two channel providers claim the id \"alpha\": " + AlphaProvider.class.getName() + " and "
                + AlphaTwinProvider.class.getName() + ". Remove one of the jars from the class path.", e.getMessage());
    }

    @Test
    void providerThatFailsToLoadKeepsServiceConfigurationErrorAsCause() throws IOException {
        ClassLoader loader = loaderListing("org.example.MissingProvider");
        ChannelConfigurationException e = assertThrows(ChannelConfigurationException.class,
                () -> Channels.open("alpha", config(), loader));
        assertInstanceOf(ServiceConfigurationError.class, e.getCause());
        assertEquals(true, e.getMessage().startsWith("A channel provider listed in META-INF/services/"
                + ChannelProvider.class.getName() + " could not be loaded: "), e.getMessage());
    }

    @Test
    void theProviderBaseClassChecksTheIdAndKeepsTheVersionItWasGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new org.twiliochannels.core.spi.AbstractChannelProvider("Fax Line", "x", ChannelProvider.SPI_VERSION) {
                    @Override
                    public ChannelPolicy policy(TwilioConfig config) {
                        return POLICY;
                    }
                });
        assertEquals("channel id \"Fax Line\" must be lower-case letters, digits and '-', starting with a letter,"
                + " e.g. \"messenger\"", e.getMessage());
        ChannelProvider old = new org.twiliochannels.core.spi.AbstractChannelProvider("fax", "x", 0) {
            @Override
            public ChannelPolicy policy(TwilioConfig config) {
                return POLICY;
            }
        };
        assertEquals(0, old.spiVersion());
        ChannelConfigurationException refused = assertThrows(ChannelConfigurationException.class,
                () -> Channels.open(old, config()));
        assertTrue(refused.getMessage().contains("was built for channel SPI version 0, but twilio-channels-core on the"
                + " class path has SPI version " + ChannelProvider.SPI_VERSION + ": upgrade the jar of "), refused.getMessage());
    }
}
