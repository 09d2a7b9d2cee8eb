package org.twiliochannels.core.spi;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessagingServiceSid;

/**
 * Who sends a message: a fixed address ({@code From}) or a Messaging Service
 * ({@code MessagingServiceSid}, Twilio picks the number). With a Messaging Service, Twilio's log is
 * searched by recipient only when a send is settled.
 */
public final class Sender {
    private final Address address;
    private final MessagingServiceSid service;

    private Sender(Address address, MessagingServiceSid service) {
        this.address = address;
        this.service = service;
    }

    /** A fixed sender, sent as {@code From}. */
    public static Sender address(Address from) {
        return new Sender(Objects.requireNonNull(from, "from"), null);
    }

    /** A Messaging Service, sent as {@code MessagingServiceSid}. */
    public static Sender messagingService(MessagingServiceSid service) {
        return new Sender(null, Objects.requireNonNull(service, "service"));
    }

    /** The fixed sender, when there is one. */
    public Optional<Address> address() {
        return Optional.ofNullable(address);
    }

    /** The Messaging Service, when it sends. */
    public Optional<MessagingServiceSid> messagingService() {
        return Optional.ofNullable(service);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sender s && Objects.equals(address, s.address) && Objects.equals(service, s.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, service);
    }

    @Override
    public String toString() {
        return address != null ? "from " + address.value() : "via " + service.value();
    }
}
