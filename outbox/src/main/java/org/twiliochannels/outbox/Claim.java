package org.twiliochannels.outbox;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.Message;
import org.twiliochannels.core.schedule.MessageCategory;

/**
 * A message a worker holds under a lease: what the claim read from its row, and the claim's token,
 * which every later write of that worker must still find on the row.
 *
 * @param id              the row's id
 * @param channel         the channel that sends it
 * @param message         the message
 * @param segments        what it costs its sender
 * @param wasSending      true when a previous worker had recorded an attempt and its lease expired
 * @param attempts        the attempts recorded so far
 * @param firstAttemptAt  when the first attempt was recorded, if one was
 * @param leaseExpiredAt  when the previous lease expired, if there was one
 * @param token           the claim's lease token
 * @param category        the message's category
 * @param timeZone        the recipient's own zone, when the application gave it
 * @param fingerprint     the content's fingerprint, when recorded
 * @param account         the account that sends it, when the row names one (else the single-account worker's)
 */
record Claim(long id, String channel, Message message, int segments, boolean wasSending, int attempts,
             Optional<Instant> firstAttemptAt, Optional<Instant> leaseExpiredAt, String token,
             MessageCategory category, Optional<ZoneId> timeZone, Optional<String> fingerprint,
             Optional<AccountSid> account) {
    /** A claim of a row that names no account. */
    Claim(long id, String channel, Message message, int segments, boolean wasSending, int attempts,
          Optional<Instant> firstAttemptAt, Optional<Instant> leaseExpiredAt, String token,
          MessageCategory category, Optional<ZoneId> timeZone, Optional<String> fingerprint) {
        this(id, channel, message, segments, wasSending, attempts, firstAttemptAt, leaseExpiredAt, token, category,
                timeZone, fingerprint, Optional.empty());
    }

    /** A transactional claim without zone or fingerprint. */
    Claim(long id, String channel, Message message, int segments, boolean wasSending, int attempts,
          Optional<Instant> firstAttemptAt, Optional<Instant> leaseExpiredAt, String token) {
        this(id, channel, message, segments, wasSending, attempts, firstAttemptAt, leaseExpiredAt, token,
                MessageCategory.TRANSACTIONAL, Optional.empty(), Optional.empty());
    }

    Claim {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
        Objects.requireNonNull(leaseExpiredAt, "leaseExpiredAt");
        Objects.requireNonNull(token, "token");
    }
}
