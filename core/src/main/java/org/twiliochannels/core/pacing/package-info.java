/**
 * Pacing shared by bulk sending and the outbox: {@link org.twiliochannels.core.pacing.PacingSettings}
 * (the account cap, the senders' rates, the burst, checked once), a
 * {@link org.twiliochannels.core.pacing.Pacer} that reserves send times for a message or a whole
 * batch from {@link org.twiliochannels.core.pacing.RateBuckets} (in this process, or shared through
 * a database by the outbox), and {@link org.twiliochannels.core.pacing.AdaptiveConcurrency}, which
 * halves the requests in flight after Twilio answers 429.
 */
package org.twiliochannels.core.pacing;
