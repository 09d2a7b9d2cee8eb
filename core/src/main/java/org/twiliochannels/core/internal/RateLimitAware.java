package org.twiliochannels.core.internal;

/** A channel that counts Twilio's 429 answers, retried ones included, so bulk sends can slow down. Not API. */
public interface RateLimitAware {
    /** How many 429 / 20429 answers this channel has received since it was opened. */
    long rateLimitedResponses();
}
