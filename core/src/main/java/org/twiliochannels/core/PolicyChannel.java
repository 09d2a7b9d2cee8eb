package org.twiliochannels.core;

import java.util.concurrent.CompletableFuture;
import org.twiliochannels.core.spi.ChannelPolicy;

/** A channel: a view of a {@link TwilioAccount} with one plug-in's {@link ChannelPolicy}. */
final class PolicyChannel implements Channel {
    private final TwilioAccount account;
    private final String id;
    private final ChannelPolicy policy;
    private final boolean ownsAccount;

    PolicyChannel(TwilioAccount account, String id, ChannelPolicy policy, boolean ownsAccount) {
        this.account = account;
        this.id = id;
        this.policy = policy;
        this.ownsAccount = ownsAccount;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Receipt send(Message message) {
        return account.engine().send(id, policy, message, SendOptions.defaults());
    }

    @Override
    public Receipt send(Message message, SendOptions options) {
        return account.engine().send(id, policy, message, java.util.Objects.requireNonNull(options, "options"));
    }

    @Override
    public CompletableFuture<Receipt> sendAsync(Message message) {
        return account.engine().sendAsync(id, policy, message);
    }

    @Override
    public CompletableFuture<Receipt> sendAsync(Message message, SendOptions options) {
        return account.engine().sendAsync(id, policy, message, java.util.Objects.requireNonNull(options, "options"));
    }

    @Override
    public void check(Message message, SendOptions options) {
        account.engine().check(id, policy, message, options);
    }

    @Override
    public TwilioAccount account() {
        return account;
    }

    @Override
    public void close() {
        if (ownsAccount) {
            account.close();
        }
    }

    @Override
    public String toString() {
        return "Channel[" + id + ", " + policy.describe() + "]";
    }
}
