/**
 * The event seam: a {@link org.twiliochannels.core.event.TwilioEventListener} registered on a
 * {@link org.twiliochannels.core.TwilioAccount} is told, synchronously, of every send's attempts,
 * answers, retries, throttling, settling, refusals before any request (opted out, quiet hours) and
 * outcome, and of webhook verifications. Events carry
 * the channel id, a send id, masked recipients and message SIDs, never a body, a full number or a
 * secret. Metrics and tracing modules are listeners.
 */
package org.twiliochannels.core.event;
