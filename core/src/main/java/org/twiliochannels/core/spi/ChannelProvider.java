package org.twiliochannels.core.spi;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.TwilioConfig;

/**
 * Makes channels of one kind; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.twiliochannels.core.spi.ChannelProvider}. An implementation has a
 * public no-argument constructor and does no I/O until {@link #open} is called.
 */
public interface ChannelProvider {

    /** The channel id users ask for, e.g. {@code "sms"}: lower case, stable across versions. */
    String id();

    /** One line for listings, e.g. {@code "SMS and MMS through Twilio Programmable Messaging"}. */
    String description();

    /**
     * Opens a channel.
     *
     * @throws org.twiliochannels.core.ChannelConfigurationException when the configuration lacks
     *         what this channel needs (its sender), naming the missing setting
     */
    Channel open(TwilioConfig config);
}
