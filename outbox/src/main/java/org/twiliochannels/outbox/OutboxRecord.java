package org.twiliochannels.outbox;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.twiliochannels.core.Address;
import org.twiliochannels.core.MessageSid;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.schedule.MessageCategory;

/**
 * A message as the outbox's ledger knows it: its state, Twilio's SID and latest status, the last
 * error, and its history, oldest first. {@link #toString()} masks the recipient.
 *
 * @param id            the row's id
 * @param key           the caller's key, if one was given
 * @param batch         the batch name, if one was given
 * @param channel       the channel that sends it
 * @param to            the recipient
 * @param state         where it is in the outbox
 * @param attempts      how many attempts workers recorded
 * @param sid           Twilio's SID, once accepted
 * @param twilioStatus  Twilio's latest status: from the answer, then from status callbacks
 * @param errorCode     the last Twilio error code, if any
 * @param errorMessage  the last error, if any
 * @param createdAt     when it was enqueued
 * @param updatedAt     when the row last changed
 * @param history       what happened to it, oldest first
 * @param category      its category
 * @param timeZone      the recipient's own zone, when the application gave it
 * @param dueAt         when a worker takes it next while it is queued: its not-before time, moved by
 *                      quiet hours or a frequency cap (the history's {@code held} entry says why),
 *                      or by a retry's backoff; for a message no longer queued, when it last was due
 */
public record OutboxRecord(long id, Optional<String> key, Optional<String> batch, String channel, Address to,
                           OutboxState state, int attempts, Optional<MessageSid> sid,
                           Optional<MessageStatus> twilioStatus, OptionalInt errorCode, Optional<String> errorMessage,
                           Instant createdAt, Instant updatedAt, List<OutboxEvent> history,
                           MessageCategory category, Optional<ZoneId> timeZone, Instant dueAt) {
    /** Checks and copies. */
    public OutboxRecord {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(twilioStatus, "twilioStatus");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        history = List.copyOf(history);
    }

    @Override
    public String toString() {
        return "OutboxRecord[id=" + id + key.map(k -> ", key=" + k).orElse("") + ", " + channel + " to " + to.masked()
                + ", " + state.dbName() + (state == OutboxState.QUEUED ? " due " + dueAt : "") + sid.map(s -> ", sid=" + s).orElse("")
                + twilioStatus.map(s -> ", twilio=" + s.twilioName()).orElse("")
                + (errorCode.isPresent() ? ", error " + errorCode.getAsInt() : "") + ", attempts=" + attempts + "]";
    }
}
