/**
 * Implementation details of core: here the helpers shared by its packages (secrets, SIDs, text
 * checks, the engine's clocks, Twilio's regional hosts); in sub-packages the parts of sending —
 * {@code send} (engine, runner, settler), {@code twilio} (the SDK adapter) and {@code http} (the
 * HTTP/1.1 client). Not API: anything here may change in any release.
 */
package org.twiliochannels.core.internal;
