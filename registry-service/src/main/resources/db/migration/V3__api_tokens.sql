-- API tokens. Only the SHA-256 of a token's secret is stored: the secret is shown once, when the
-- token is created. Tokens are never deleted, only revoked, so that every event's actor stays
-- traceable to a token; names are unique for the same reason.
CREATE TABLE api_token (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE,
    scope       TEXT        NOT NULL CHECK (scope IN ('ADMIN', 'OPERATOR', 'READ_ONLY', 'AGENT')),
    network_id  TEXT,
    secret_hash TEXT        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);
