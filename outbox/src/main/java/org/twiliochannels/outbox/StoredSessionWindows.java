package org.twiliochannels.outbox;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twiliochannels.core.WhatsAppAddress;
import org.twiliochannels.core.whatsapp.SessionWindow;
import org.twiliochannels.core.whatsapp.SessionWindows;

/** {@link Conversations#sessionWindows()}: the windows in the {@code whatsapp_window} table, one statement each. */
final class StoredSessionWindows implements SessionWindows {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels.outbox");

    private final ConversationStore store;
    private final Clock clock;

    StoredSessionWindows(ConversationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void inbound(WhatsAppAddress person, WhatsAppAddress sender) {
        store.inTransaction(c -> {
            store.inbound(c, bare(person), bare(sender), clock.instant());
            return null;
        });
    }

    @Override
    public void refused(WhatsAppAddress person, WhatsAppAddress sender) {
        store.inTransaction(c -> {
            store.refused(c, bare(person), bare(sender), clock.instant());
            return null;
        });
    }

    @Override
    public SessionWindow window(WhatsAppAddress person, WhatsAppAddress sender) {
        try {
            return store.inTransaction(c -> store.window(c, bare(person), bare(sender)))
                    .map(t -> SessionWindow.at(clock.instant(), t.lastInbound(), t.refused()))
                    .orElseGet(SessionWindow::unknown);
        } catch (RuntimeException e) {
            LOG.warn("the WhatsApp window to {} could not be read ({}); sending as if unknown", person.masked(),
                    e.getClass().getName());
            return SessionWindow.unknown();
        }
    }

    private static String bare(WhatsAppAddress address) {
        return address.phoneNumber().value();
    }

    @Override
    public String toString() {
        return "SessionWindows[" + store + "]";
    }
}
