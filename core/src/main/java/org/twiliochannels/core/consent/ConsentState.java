package org.twiliochannels.core.consent;

/** Whether a recipient may be messaged in a {@link ConsentScope}. */
public enum ConsentState {
    /** The recipient asked not to be messaged: sends are refused before any request. */
    OPTED_OUT,
    /** The recipient opted back in (START) or the application recorded their consent. */
    OPTED_IN
}
