-- Key rotation. Each peer has a peer token (only its SHA-256 is kept) with which the device itself
-- may rotate its key. A rotated-away key is retired: it stays unique (it can never be registered or
-- rotated to again) and is revoked when the rotation's overlap ends.
ALTER TABLE peer ADD COLUMN peer_token_hash TEXT UNIQUE;

CREATE TABLE retired_key (
    public_key TEXT PRIMARY KEY,
    peer_id    UUID        NOT NULL REFERENCES peer (id),
    retired_at TIMESTAMPTZ NOT NULL,
    revoke_at  TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX retired_key_due ON retired_key (revoke_at) WHERE revoked_at IS NULL;
