package org.twiliochannels.examples;

import org.twiliochannels.core.Channels;

/** Lists the channels that {@link java.util.ServiceLoader} finds on the class path. */
public final class ListChannels {
    private ListChannels() {}

    /** Runs the example. */
    public static void main(String[] args) {
        System.out.println("Channels on the class path: " + Channels.available());
    }
}
