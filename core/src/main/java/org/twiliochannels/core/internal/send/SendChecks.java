package org.twiliochannels.core.internal.send;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.InvalidMessageException;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.SendOptions;
import org.twiliochannels.core.TwilioRejectedException;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentLedger;
import org.twiliochannels.core.consent.ConsentScope;
import org.twiliochannels.core.consent.ConsentSource;
import org.twiliochannels.core.schedule.MessageCategory;
import org.twiliochannels.core.schedule.QuietHours;
import org.twiliochannels.core.schedule.RecipientTimeZones;
import org.twiliochannels.core.spi.Sender;

/**
 * The checks an account makes before every request of a send: the recipient's consent in the
 * sender's {@link ConsentScope} (when a ledger is set), then the {@link QuietHours} window of the
 * message's category; and the opt-out that Twilio's error 21610 records. Cheap on the way that
 * sends: the scope of a channel's sender is kept, the ledger look-up is the ledger's, and a
 * category no window holds is answered without looking up a zone. Not API.
 */
public final class SendChecks {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");

    private final AccountSid account;
    private final ConsentLedger ledger;
    private final QuietHours quietHours;
    private final Clock clock;
    /** The last sender seen per channel and its scope: a channel's sender rarely changes. */
    private final Map<String, Scoped> scopes = new ConcurrentHashMap<>();

    private record Scoped(Sender sender, ConsentScope scope) {}

    /**
     * @param ledger     the ledger to check and to record 21610 in; null for none
     * @param quietHours the windows per category
     * @param clock      the time of the quiet-hours check and of recorded opt-outs
     */
    public SendChecks(AccountSid account, ConsentLedger ledger, QuietHours quietHours, Clock clock) {
        this.account = Objects.requireNonNull(account, "account");
        this.ledger = ledger;
        this.quietHours = Objects.requireNonNull(quietHours, "quietHours");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** No ledger and no quiet hours: nothing is refused (the doctor's live checks, tests). */
    public static SendChecks none(AccountSid account) {
        return new SendChecks(account, null, QuietHours.none(), Clock.systemUTC());
    }

    /** The ledger, when one is set. */
    public Optional<ConsentLedger> ledger() {
        return Optional.ofNullable(ledger);
    }

    /** The windows per category. */
    public QuietHours quietHours() {
        return quietHours;
    }

    /** The clock of the checks. */
    public Clock clock() {
        return clock;
    }

    /**
     * Refuses a message that must not go now.
     *
     * @throws org.twiliochannels.core.consent.RecipientOptedOutException the recipient opted out in the sender's scope
     * @throws org.twiliochannels.core.schedule.QuietHoursException the category's window is closed for the
     *         recipient at the time the message would go (its {@code sendAt}, else now), and the options do not override it
     * @throws InvalidMessageException the window applies and the recipient's zone is unknown
     */
    void check(String channel, Address to, Sender sender, Message message, SendOptions options) {
        if (ledger != null) {
            ledger.requireConsent(scope(channel, sender), to);
        }
        MessageCategory category = message.category();
        if (options.overridesQuietHours() || quietHours.window(to, category).isAllDay()) {
            return;
        }
        Instant at = message.sendAt().orElseGet(clock::instant);
        List<ZoneId> zones = message.recipientZone().map(List::of).orElseGet(() -> RecipientTimeZones.of(to));
        try {
            quietHours.requireOpen(to, category, zones, at);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("recipientZone", e.getMessage() + "; or set the recipient's zone with"
                    + " Message.Builder.recipientZone. Not sent.");
        }
    }

    /**
     * Records the recipient as opted out in the sender's scope when Twilio refused the send with
     * 21610. A ledger that fails to record is logged; the caller still gets the rejection.
     */
    void rejected(String channel, Address to, Sender sender, TwilioRejectedException rejection) {
        if (ledger == null || rejection.error().code().orElse(0) != 21610) {
            return;
        }
        try {
            ledger.record(ConsentChange.optOut(to, scope(channel, sender), new ConsentSource.Error21610(Optional.empty(),
                    "send on the " + channel + " channel refused by Twilio with error 21610"), clock.instant()));
        } catch (RuntimeException e) {
            LOG.error("the consent ledger could not record the opt-out Twilio reported (21610) for {} on {}: {}",
                    to.masked(), channel, e.toString());
        }
    }

    private ConsentScope scope(String channel, Sender sender) {
        Scoped known = scopes.get(channel);
        if (known != null && known.sender().equals(sender)) {
            return known.scope();
        }
        ConsentScope scope = sender.messagingService().isPresent()
                ? ConsentScope.service(account, channel, sender.messagingService().get())
                : ConsentScope.sender(account, channel, sender.address().orElseThrow());
        scopes.put(channel, new Scoped(sender, scope));
        return scope;
    }
}
