package org.twiliochannels.core.bulk;

import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.Receipt;
import org.twiliochannels.core.TwilioChannelsException;

/**
 * What happened to one item of a bulk send: exactly one outcome per item handed to the sender.
 *
 * @param item    the item as given
 * @param kind    accepted, rejected, unknown, skipped, not attempted, opted out or held
 * @param message the message built from the item, when building it succeeded
 * @param receipt Twilio's receipt, when accepted
 * @param failure why it was not accepted, for rejected, unknown, not attempted, opted out (a
 *                {@link org.twiliochannels.core.consent.RecipientOptedOutException}) and held (a
 *                {@link org.twiliochannels.core.schedule.QuietHoursException} saying when the window opens)
 * @param <T>     the type of the items
 */
public record BulkOutcome<T>(T item, Kind kind, Optional<Message> message, Optional<Receipt> receipt,
                             Optional<TwilioChannelsException> failure) {

    /** The kinds of outcome. */
    public enum Kind {
        /** Twilio accepted the message. */
        ACCEPTED,
        /** Not sent: invalid, refused by Twilio, or Twilio unreachable. Safe to send again once fixed. */
        REJECTED,
        /** May have been sent: check before sending again. */
        UNKNOWN,
        /** Skipped: an earlier run already accepted it (or left it unknown). */
        SKIPPED,
        /** Not attempted because the run stopped early (see {@link BulkSummary#stoppedBecause()}). */
        NOT_ATTEMPTED,
        /** Not sent, no request: the recipient opted out of the sender's messages (the account's consent ledger). */
        OPTED_OUT,
        /**
         * Not sent, no request: held by quiet hours, the message's category may not go to this
         * recipient now; the failure's {@link org.twiliochannels.core.schedule.QuietHoursException#opensAt()}
         * says when it may. Send it then (or through the outbox, which holds it until then).
         */
        HELD
    }

    /** Validates. */
    public BulkOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(failure, "failure");
    }

    /** The recipient's address text, when the message was built. */
    public Optional<String> recipient() {
        return message.map(m -> m.to().value());
    }
}
