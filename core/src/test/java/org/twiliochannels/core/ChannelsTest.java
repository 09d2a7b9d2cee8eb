package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.core.testsupport.TestValues;

class ChannelsTest {
    static final Channel OPENED = mock(Channel.class);

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
        public Channel open(TwilioConfig config) {
            return OPENED;
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
        public Channel open(TwilioConfig config) {
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
        assertSame(OPENED, Channels.open("alpha", config(), loader));
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
}
