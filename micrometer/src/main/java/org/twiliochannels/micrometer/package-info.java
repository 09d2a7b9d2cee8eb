/**
 * Micrometer metrics and observations for twilio-channels:
 * {@link org.twiliochannels.micrometer.MicrometerTwilioListener}, a listener on the account's event
 * seam. Tags carry channel ids, outcomes, Twilio error codes, retry reasons and webhook kinds only:
 * never a phone number, a message body or a secret.
 */
package org.twiliochannels.micrometer;
