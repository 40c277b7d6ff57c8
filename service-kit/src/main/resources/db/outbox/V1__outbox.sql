-- Transactional outbox: a state change and the event describing it are written in one transaction;
-- OutboxRelay sends the rows to Kafka in id order and deletes them once the broker acknowledged them.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
