package org.twiliochannels.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to look for in Twilio's message log: the recipient, the fixed sender when there was one,
 * what was sent, and the time window in which the request was made. Build one from a
 * {@link Message} with {@link #of(Message, Optional, Instant, Instant)}.
 *
 * @param to          the recipient as sent (e.g. {@code whatsapp:+14155551234})
 * @param from        the fixed sender as sent; empty when a Messaging Service picked it (then only
 *                    {@code To} filters the log)
 * @param body        the body sent, if any
 * @param template    the Content template sent, if any (its SID and variables must match)
 * @param mediaCount  how many media URLs were sent
 * @param notBefore   when the first attempt started (this machine's clock)
 * @param notAfter    when the last attempt ended (this machine's clock)
 */
public record SettleQuery(Address to, Optional<Address> from, Optional<String> body, Optional<Template> template,
                          int mediaCount, Instant notBefore, Instant notAfter) {
    /** Checks the components. */
    public SettleQuery {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (mediaCount < 0) {
            throw new IllegalArgumentException("mediaCount must be 0 or more, was " + mediaCount);
        }
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore
                    + "; give the time the send started, then the time it ended");
        }
    }

    /**
     * The query for {@code message}, sent to {@code to} from {@code from} (empty for a Messaging
     * Service) between the two instants.
     */
    public static SettleQuery of(Message message, Address to, Optional<Address> from, Instant notBefore,
                                 Instant notAfter) {
        Objects.requireNonNull(message, "message");
        return new SettleQuery(to, from, message.body(), message.template(), message.mediaUrls().size(), notBefore,
                notAfter);
    }

    /** As {@link #of(Message, Address, Optional, Instant, Instant)} with the message's own recipient. */
    public static SettleQuery of(Message message, Optional<Address> from, Instant notBefore, Instant notAfter) {
        return of(message, message.to(), from, notBefore, notAfter);
    }

    @Override
    public String toString() {
        return "SettleQuery[to=" + to.masked() + ", from=" + from.map(Address::masked).orElse("(messaging service)")
                + ", body=" + body.map(b -> b.length() + " chars").orElse("none")
                + ", template=" + template.map(t -> t.sid().value()).orElse("none")
                + ", mediaCount=" + mediaCount + ", between " + notBefore + " and " + notAfter + "]";
    }
}
