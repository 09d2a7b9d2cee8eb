package org.twiliochannels.core.spi;

import java.util.Objects;

/**
 * A convenient base for a {@link ChannelProvider}: it holds the id, the description and the SPI
 * version, so a plug-in writes only its constructor and {@link #policy}. Pass
 * {@link ChannelProvider#SPI_VERSION} from the plug-in's own code, so that the version compiled
 * into the plug-in is the one it states:
 *
 * <pre>{@code
 * public final class MessengerChannelProvider extends AbstractChannelProvider {
 *     public MessengerChannelProvider() {
 *         super("messenger", "Facebook Messenger through Twilio", SPI_VERSION);
 *     }
 *
 *     @Override
 *     public ChannelPolicy policy(TwilioConfig config) { ... }
 * }
 * }</pre>
 */
public abstract class AbstractChannelProvider implements ChannelProvider {
    private final String id;
    private final String description;
    private final int spiVersion;

    /**
     * @param id          the channel id: lower-case letters, digits and '-', starting with a letter
     * @param description one line for listings
     * @param spiVersion  {@link ChannelProvider#SPI_VERSION} as the plug-in was compiled against
     * @throws IllegalArgumentException when the id is not of that form
     */
    protected AbstractChannelProvider(String id, String description, int spiVersion) {
        this.id = Objects.requireNonNull(id, "id");
        this.description = Objects.requireNonNull(description, "description");
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("channel id \"" + id + "\" must be lower-case letters, digits and '-',"
                    + " starting with a letter, e.g. \"messenger\"");
        }
        this.spiVersion = spiVersion;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int spiVersion() {
        return spiVersion;
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + id + ", SPI " + spiVersion + "]";
    }
}
