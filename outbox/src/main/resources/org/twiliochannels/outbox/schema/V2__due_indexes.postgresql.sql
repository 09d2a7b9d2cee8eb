-- Indexes that hold only the rows a claim or the purge can take. Finished rows (millions, kept for
-- the retention) then neither lengthen a claim's scan nor cost index entries at each update: a row
-- that becomes accepted leaves the due and lease indexes. The claim names the states as literals,
-- so that its plan uses these. ${state.…} is a state's name, quoted. PostgreSQL only: H2 has no
-- partial indexes and keeps version 1's.

DROP INDEX ${prefix}outbox_message_due;
DROP INDEX ${prefix}outbox_message_lease;
DROP INDEX ${prefix}outbox_message_updated;
-- queued rows, oldest due first
CREATE INDEX ${prefix}outbox_message_due ON ${prefix}outbox_message (next_attempt_at, id)
    WHERE state = ${state.queued};
-- rows held under a lease, by expiry: a dead worker's are taken over
CREATE INDEX ${prefix}outbox_message_lease ON ${prefix}outbox_message (lease_expires_at)
    WHERE state IN (${state.claimed}, ${state.sending});
-- finished rows by age, for the retention
CREATE INDEX ${prefix}outbox_message_finished ON ${prefix}outbox_message (updated_at)
    WHERE state IN (${state.accepted}, ${state.rejected});
