/**
 * Sending to many recipients at Twilio's limits: {@link org.twiliochannels.core.bulk.BulkSender}
 * streams messages with bounded concurrency and per-sender pacing, reports one
 * {@link org.twiliochannels.core.bulk.BulkOutcome} per item, and resumes without re-sending.
 */
package org.twiliochannels.core.bulk;
