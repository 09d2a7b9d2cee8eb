package org.twiliochannels.core.spi;

import org.twiliochannels.core.TwilioConfig;

/**
 * Makes channels of one kind; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.twiliochannels.core.spi.ChannelProvider}. An implementation has a
 * public no-argument constructor and does no I/O until {@link #policy} is called. It says only what
 * is specific to its channel, in a {@link ChannelPolicy}; core owns sending, retries, settling,
 * async, fetch, cancel and close.
 *
 * <p>A provider compiles against the public packages of {@code twilio-channels-core} only.
 */
public interface ChannelProvider {
    /**
     * The version of this SPI. A provider returns it from {@link #spiVersion()} as a compile-time
     * constant ({@code return SPI_VERSION;}), so that it states the version it was built for.
     */
    int SPI_VERSION = 1;

    /** The channel id users ask for, e.g. {@code "sms"}: lower case, stable across versions. */
    String id();

    /** One line for listings, e.g. {@code "SMS and MMS through Twilio Programmable Messaging"}. */
    String description();

    /**
     * The SPI version this provider was built for: write {@code return SPI_VERSION;}. A provider
     * built for another version than the core on the class path is refused with a message naming
     * both versions and the artifact to upgrade.
     */
    int spiVersion();

    /**
     * The channel's rules for this configuration.
     *
     * @throws org.twiliochannels.core.ChannelConfigurationException when the configuration lacks
     *         what this channel needs (its sender), naming the missing setting and the fix
     */
    ChannelPolicy policy(TwilioConfig config);
}
