-- PostgreSQL, after V3__consent_schedule.sql: the retention's partial index holds every finished
-- state, the three at which no request was made included.
DROP INDEX ${prefix}outbox_message_finished;
CREATE INDEX ${prefix}outbox_message_finished ON ${prefix}outbox_message (updated_at)
    WHERE state IN (${state.accepted}, ${state.rejected}, ${state.opted-out}, ${state.canceled}, ${state.duplicate});
