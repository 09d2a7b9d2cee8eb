package org.twiliochannels.sms.internal;

import org.twiliochannels.core.Channel;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.spi.ChannelProvider;
import org.twiliochannels.sms.SmsChannel;

/** Registers the sms channel with {@link java.util.ServiceLoader}. Not API: use {@link SmsChannel}. */
public final class SmsChannelProvider implements ChannelProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public SmsChannelProvider() {}

    @Override
    public String id() {
        return SmsChannel.ID;
    }

    @Override
    public String description() {
        return "SMS and MMS from a Twilio number or Messaging Service";
    }

    @Override
    public Channel open(TwilioConfig config) {
        return SmsChannel.open(config);
    }
}
