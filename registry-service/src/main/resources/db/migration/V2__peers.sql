-- Peers. The public key is unique across all peers, revoked ones included: a revoked key is terminal
-- and can never be registered again. Public key and tunnel address never change after they are set.
CREATE TABLE peer (
    id                   UUID PRIMARY KEY,
    network_id           TEXT        NOT NULL,
    public_key           TEXT        NOT NULL UNIQUE,
    name                 TEXT,
    persistent_keepalive INTEGER     NOT NULL,
    status               TEXT        NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    ipv4_address         TEXT,
    ipv6_address         TEXT,
    revision             BIGINT      NOT NULL,
    address_revision     BIGINT      NOT NULL DEFAULT 0,
    created_at           TIMESTAMPTZ NOT NULL,
    revoked_at           TIMESTAMPTZ
);
CREATE INDEX peer_network ON peer (network_id, created_at);
