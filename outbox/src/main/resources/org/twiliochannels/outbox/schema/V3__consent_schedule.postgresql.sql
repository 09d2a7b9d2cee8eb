-- PostgreSQL, after V3__consent_schedule.sql. The frequency-cap and duplicate checks' index holds
-- only the messages that passed such a check: a message of a category without a cap (most of them)
-- costs no entry when enqueued, and the index stays small.
CREATE INDEX ${prefix}outbox_message_checked ON ${prefix}outbox_message (recipient, checked_at)
    WHERE checked_at IS NOT NULL;
-- The retention's partial index holds every finished state, the three at which no request was made
-- included.
DROP INDEX ${prefix}outbox_message_finished;
CREATE INDEX ${prefix}outbox_message_finished ON ${prefix}outbox_message (updated_at)
    WHERE state IN (${state.accepted}, ${state.rejected}, ${state.opted-out}, ${state.canceled}, ${state.duplicate});
