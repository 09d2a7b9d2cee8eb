package org.twiliochannels.examples;

import org.twiliochannels.core.PhoneNumber;
import org.twiliochannels.core.TwilioConfig;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.settings.TwilioEnvironment;
import org.twiliochannels.testing.FakeTwilio;

/**
 * Where the examples send: Twilio itself when {@code TWILIO_*} credentials are set (environment or
 * {@code .env}), otherwise an embedded fake Twilio, so that every example runs from a fresh clone.
 */
final class DemoBackend implements AutoCloseable {
    private final FakeTwilio fake;
    private final TwilioConfig config;

    private DemoBackend(FakeTwilio fake, TwilioConfig config) {
        this.fake = fake;
        this.config = config;
    }

    /** Real Twilio when credentials are set, else a fake whose sandbox {@code recipient} has joined. */
    static DemoBackend open(String recipient) {
        TwilioEnvironment env = TwilioEnvironment.builder().read();
        if (env.hasCredentials()) {
            return new DemoBackend(null, env.toConfig());
        }
        FakeTwilio fake = FakeTwilio.start();
        WhatsAppAddress.parse(recipient).map(WhatsAppAddress::phoneNumber).or(() -> PhoneNumber.parse(recipient))
                .ifPresent(fake::joinSandbox);
        System.out.println("(no TWILIO_* credentials set: sending to an embedded fake Twilio at " + fake.baseUrl() + ")");
        return new DemoBackend(fake, fake.config().build());
    }

    TwilioConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (fake != null) {
            fake.close();
        }
    }
}
