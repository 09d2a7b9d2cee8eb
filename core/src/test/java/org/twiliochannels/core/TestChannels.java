package org.twiliochannels.core;

import org.twiliochannels.core.spi.ChannelPolicy;

/** Test access to channel views with a policy of the test's own, without ServiceLoader. */
public final class TestChannels {
    private TestChannels() {}

    /** A view of {@code account} with {@code policy}; closing it leaves the account open. */
    public static Channel view(TwilioAccount account, String id, ChannelPolicy policy) {
        return new PolicyChannel(account, id, policy, false);
    }
}
