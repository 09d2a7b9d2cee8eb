package org.twiliochannels.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.twiliochannels.core.spi.ChannelProvider;

/**
 * The entry point: lists the channels found on the class path and opens one by id. Putting
 * {@code twilio-channels-sms} or {@code twilio-channels-whatsapp} on the class path is all it takes
 * for its channel to be found.
 *
 * <pre>{@code
 * try (Channel sms = Channels.open("sms", TwilioEnvironment.load())) {
 *     Receipt receipt = sms.send(Message.text("+14155551234", "Your code is 123456"));
 * }
 * }</pre>
 */
public final class Channels {
    private static final List<String> BUILT_IN = List.of("sms", "whatsapp");

    private Channels() {}

    /** The ids of the channels found by the class loader of this library, sorted. */
    public static List<String> available() {
        return available(Channels.class.getClassLoader());
    }

    /** The ids of the channels found by {@code loader}, sorted. */
    public static List<String> available(ClassLoader loader) {
        return List.copyOf(providers(loader).keySet());
    }

    /** The providers found by {@code loader}, by id. */
    public static Map<String, ChannelProvider> providers(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        Map<String, ChannelProvider> byId = new TreeMap<>();
        Iterator<ChannelProvider> it = ServiceLoader.load(ChannelProvider.class, loader).iterator();
        while (true) {
            ChannelProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                throw new ChannelConfigurationException("A channel provider listed in META-INF/services/"
                        + ChannelProvider.class.getName() + " could not be loaded: " + e.getMessage()
                        + ". Check that the channel jar matches the version of twilio-channels-core.", e);
            }
            checkVersion(provider);
            ChannelProvider previous = byId.putIfAbsent(provider.id(), provider);
            if (previous != null) {
                throw new ChannelConfigurationException("Two channel providers claim the id \"" + provider.id() + "\": "
                        + previous.getClass().getName() + " and " + provider.getClass().getName()
                        + ". Remove one of the jars from the class path.");
            }
        }
        return byId;
    }

    private static void checkVersion(ChannelProvider provider) {
        int version;
        try {
            version = provider.spiVersion();
        } catch (AbstractMethodError e) {
            throw new ChannelConfigurationException("The channel provider " + provider.getClass().getName()
                    + " was built for an older channel SPI than version " + ChannelProvider.SPI_VERSION
                    + " of twilio-channels-core on the class path; upgrade the jar that holds it.", e);
        }
        if (version != ChannelProvider.SPI_VERSION) {
            String upgrade = version > ChannelProvider.SPI_VERSION
                    ? "upgrade org.twiliochannels:twilio-channels-core to a version with SPI " + version
                    : "upgrade the jar of " + provider.getClass().getName() + " to one built for SPI "
                            + ChannelProvider.SPI_VERSION;
            throw new ChannelConfigurationException("The channel provider " + provider.getClass().getName() + " (\""
                    + provider.id() + "\") was built for channel SPI version " + version
                    + ", but twilio-channels-core on the class path has SPI version " + ChannelProvider.SPI_VERSION
                    + ": " + upgrade + ".");
        }
    }

    /**
     * The provider with this id, found by {@code loader}.
     *
     * @throws ChannelConfigurationException when none has it: the message lists the ids found and
     *         the artifact to add
     */
    public static ChannelProvider provider(String id, ClassLoader loader) {
        Objects.requireNonNull(id, "id");
        Map<String, ChannelProvider> providers = providers(loader);
        ChannelProvider provider = providers.get(id);
        if (provider == null) {
            List<String> found = new ArrayList<>(providers.keySet());
            String fix = BUILT_IN.contains(id)
                    ? "Add the Maven dependency org.twiliochannels:twilio-channels-" + id + " to use it."
                    : "twilio-channels provides \"sms\" (org.twiliochannels:twilio-channels-sms) and \"whatsapp\""
                            + " (org.twiliochannels:twilio-channels-whatsapp); another channel needs its provider's jar.";
            throw new ChannelConfigurationException("No channel \"" + id + "\" on the class path (found: "
                    + (found.isEmpty() ? "none" : String.join(", ", found)) + "). " + fix);
        }
        return provider;
    }

    /**
     * Opens the channel with this id, found by the class loader of this library, on an account
     * client of its own: closing the channel closes it. To send on several channels of one
     * account, use {@link TwilioAccount#channel(String)} instead.
     *
     * @throws ChannelConfigurationException when no provider has the id (the message lists the ids
     *         found and the artifact to add) or the configuration lacks what the channel needs
     */
    public static Channel open(String id, TwilioConfig config) {
        return open(id, config, Channels.class.getClassLoader());
    }

    /** As {@link #open(String, TwilioConfig)}, with providers found by {@code loader}. */
    public static Channel open(String id, TwilioConfig config, ClassLoader loader) {
        Objects.requireNonNull(config, "config");
        return open(provider(id, loader), config);
    }

    /**
     * Opens a channel of {@code provider} on an account client of its own (the shortcut channel
     * modules' {@code open} methods use).
     */
    public static Channel open(ChannelProvider provider, TwilioConfig config) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(config, "config");
        checkVersion(provider);
        return TwilioAccount.open(config).ownedBy(provider);
    }
}
