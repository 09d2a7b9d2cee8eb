-- PostgreSQL, after V6__dashboard_indexes.sql.
-- Messages that may have been sent, newest first: few (each needs a person), so the index is small
-- and costs nothing for the rows that never become unknown.
CREATE INDEX ${prefix}outbox_message_unknown ON ${prefix}outbox_message (updated_at)
    WHERE state = ${state.unknown};
-- The finished rows (millions) counted per state as an index-only scan: a few distinct values, so
-- the B-tree's deduplication keeps it at a fraction of the table's size. Partial: an enqueue and the
-- claim's changes cost no entry (a row enters it once, when it finishes), and no query of the open
-- states (the claim's) can pick it instead of the due or lease index. The open states are counted
-- from their own partial indexes.
CREATE INDEX ${prefix}outbox_message_finished_state ON ${prefix}outbox_message (state)
    WHERE state IN (${state.accepted}, ${state.rejected}, ${state.opted-out}, ${state.canceled}, ${state.duplicate});
