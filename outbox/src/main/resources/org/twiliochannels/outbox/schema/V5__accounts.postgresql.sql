-- Many accounts: each message names the Twilio (sub)account that sends it. NULL: the account of the
-- single-account worker that takes it (every row written before this version). A worker for many
-- accounts takes its rows round-robin per account; this index holds the queued rows of each
-- account, oldest due first, and only those (as version 2's).

ALTER TABLE ${prefix}outbox_message ADD COLUMN account_sid VARCHAR(34);
CREATE INDEX ${prefix}outbox_message_account_due ON ${prefix}outbox_message (account_sid, next_attempt_at, id)
    WHERE state = ${state.queued};
