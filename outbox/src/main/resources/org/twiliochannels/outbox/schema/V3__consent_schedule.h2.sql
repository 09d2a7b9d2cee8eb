-- H2, after V3__consent_schedule.sql: no partial indexes, so the frequency-cap and duplicate
-- checks' index holds every message.
CREATE INDEX ${prefix}outbox_message_checked ON ${prefix}outbox_message (recipient, checked_at);
