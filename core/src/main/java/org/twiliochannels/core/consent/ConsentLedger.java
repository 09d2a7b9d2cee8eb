package org.twiliochannels.core.consent;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.twiliochannels.core.Address;

/**
 * Every consent change of every recipient, and the state in force: checked before a send, fed by
 * inbound keywords, by Twilio's 21610 refusals and by the application. Implementations are
 * thread-safe; {@link #inMemory()} is one for plain Java and tests, the outbox keeps one in its
 * database.
 *
 * <p>The state in force for a (scope, recipient) is the latest change by {@link ConsentChange#at()}
 * (of two changes at the same instant, the one recorded last). No change recorded means no
 * opt-out is known: the application's own consent rules decide, this ledger does not claim consent.
 */
public interface ConsentLedger {

    /** A new, empty, thread-safe ledger in memory (lost when the process ends). */
    static ConsentLedger inMemory() {
        return new InMemoryConsentLedger();
    }

    /** Keeps a change. Changes are never removed: the ledger is an audit trail. */
    void record(ConsentChange change);

    /** The change in force for {@code recipient} in {@code scope}, or empty when none was recorded. */
    Optional<ConsentChange> status(ConsentScope scope, Address recipient);

    /** Every change of {@code recipient}, in every scope, oldest first. */
    List<ConsentChange> history(Address recipient);

    /** The change in force of every (scope, recipient) that has one, ordered by scope key, then recipient. */
    List<ConsentChange> current();

    /** Every change of every recipient, oldest first. */
    List<ConsentChange> changes();

    /** True when the change in force for {@code recipient} in {@code scope} is an opt-out. */
    default boolean isOptedOut(ConsentScope scope, Address recipient) {
        return status(scope, recipient).map(c -> c.state() == ConsentState.OPTED_OUT).orElse(false);
    }

    /**
     * The check a send makes before any request.
     *
     * @throws RecipientOptedOutException when the recipient is opted out in {@code scope}: not sent
     */
    default void requireConsent(ConsentScope scope, Address recipient) {
        status(scope, recipient).filter(c -> c.state() == ConsentState.OPTED_OUT).ifPresent(c -> {
            throw new RecipientOptedOutException(c);
        });
    }

    /**
     * Writes {@link #changes()} as CSV (RFC 4180, header line first, {@code \r\n} line ends) with the
     * columns {@code at,recipient,account,channel,sender,state,source,keyword,message_sid,who,note}. Times are UTC ISO-8601. Text a spreadsheet would run as a
     * formula ({@code who} or {@code note} starting with {@code = + - @}) is prefixed with {@code '}.
     *
     * @param maskRecipients true to write recipients masked ({@code +1415***1234}), as logs show them
     */
    default void exportCsv(Appendable out, boolean maskRecipients) throws IOException {
        ConsentCsv.write(changes(), out, maskRecipients);
    }
}
