-- Peer tags (for firewall groups and filtering), and enrolment tokens: short-lived, N-use
-- credentials scoped to a network and tags, with which a device registers itself. Only the SHA-256
-- of a token's secret is stored. Uses are counted in the token row under its row lock and each use
-- is recorded, so a token is never used more often than allowed, even by concurrent devices.
ALTER TABLE peer ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';
CREATE INDEX peer_tags ON peer USING GIN (tags);

CREATE TABLE enrolment_token (
    id          UUID PRIMARY KEY,
    name        TEXT,
    network_id  TEXT        NOT NULL,
    tags        TEXT[]      NOT NULL DEFAULT '{}',
    secret_hash TEXT        NOT NULL UNIQUE,
    max_uses    INTEGER     NOT NULL CHECK (max_uses >= 1),
    uses        INTEGER     NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX enrolment_token_network ON enrolment_token (network_id, created_at);

CREATE TABLE enrolment_use (
    token_id       UUID        NOT NULL REFERENCES enrolment_token (id),
    peer_id        UUID        NOT NULL REFERENCES peer (id),
    used_at        TIMESTAMPTZ NOT NULL,
    remote_address TEXT,
    PRIMARY KEY (token_id, peer_id)
);
