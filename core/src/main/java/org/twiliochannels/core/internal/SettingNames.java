package org.twiliochannels.core.internal;

/**
 * The names of the settings that messages outside {@code core.settings} cite, so that the send
 * path can name a setting without depending on the settings package (which depends on the send
 * path for the doctor's live check). {@code core.settings.Keys} takes these names from here, so
 * the two cannot differ. Not API.
 */
public final class SettingNames {
    /** The Messaging Service that picks the SMS sender, required for scheduled messages. */
    public static final String MESSAGING_SERVICE_SID = "TWILIO_MESSAGING_SERVICE_SID";

    private SettingNames() {}
}
