-- The outbox's later columns. A repeatable migration, idempotent, because the outbox's migrations share
-- each service's Flyway history with the service's own numbered ones (V2 and on belong to the services):
-- Flyway runs it after them on every database, and again only when this file changes.
--
-- schema_id: the schema registry id of the schema the row's payload was written with; the payload is
-- then the record value in the Confluent wire format, sent as it is. A relay of another build (a rolling
-- upgrade, a rollback) never decodes it with its own classes, so a changed event schema cannot wedge it.
-- NULL on rows written before this column existed: those hold bare Avro written with the writing build's
-- classes, and the relay decodes them with its own.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS schema_id INTEGER;
-- parked_reason: why the relay set a row aside instead of sending it (an old row this build cannot
-- read): kept, never sent, never blocking the rows behind it; counted in wgcp_outbox_parked_events.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS parked_reason TEXT;
