package org.twiliochannels.core.whatsapp;

import org.twiliochannels.core.WhatsAppAddress;

/** {@link SessionWindows#none()}. */
enum NoSessionWindows implements SessionWindows {
    INSTANCE;

    @Override
    public void inbound(WhatsAppAddress person, WhatsAppAddress sender) {
        // records nothing
    }

    @Override
    public void refused(WhatsAppAddress person, WhatsAppAddress sender) {
        // records nothing
    }

    @Override
    public SessionWindow window(WhatsAppAddress person, WhatsAppAddress sender) {
        return SessionWindow.unknown();
    }

    @Override
    public String toString() {
        return "SessionWindows.none()";
    }
}
