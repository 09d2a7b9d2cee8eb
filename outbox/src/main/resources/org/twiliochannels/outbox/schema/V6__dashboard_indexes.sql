-- Version 6: indexes of the operator's dashboard (twilio-channels-dashboard), so that its page reads
-- ranges of indexes, not whole tables. Works on PostgreSQL 10+ and H2 2.x; PostgreSQL's partial and
-- count indexes are in V6__dashboard_indexes.postgresql.sql.

-- the consent changes of the last 30 days: a range by time
CREATE INDEX ${prefix}consent_change_at ON ${prefix}consent_change (at);
