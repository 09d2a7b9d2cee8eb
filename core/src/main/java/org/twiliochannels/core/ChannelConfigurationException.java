package org.twiliochannels.core;

/**
 * A channel cannot be opened or used as configured: a sender is missing, no provider has the
 * requested id, or two providers claim it. The message says what to set or add.
 */
public class ChannelConfigurationException extends TwilioChannelsException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that names the setting and the fix. */
    public ChannelConfigurationException(String message) {
        super(message);
    }

    /** As {@link #ChannelConfigurationException(String)}, with its cause. */
    public ChannelConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
