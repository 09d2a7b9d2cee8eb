-- Many accounts: each message names the Twilio (sub)account that sends it. NULL: the account of the
-- single-account worker that takes it (every row written before this version). H2 has no partial
-- indexes: the index holds every row.

ALTER TABLE ${prefix}outbox_message ADD COLUMN account_sid VARCHAR(34);
CREATE INDEX ${prefix}outbox_message_account_due ON ${prefix}outbox_message (account_sid, state, next_attempt_at, id);
