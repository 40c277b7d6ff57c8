-- Peers as the registry announces them (wgcp.peers.v1): which keys are a peer's, which are revoked.
CREATE TABLE peer (
    peer_id            UUID PRIMARY KEY,
    network_id         TEXT        NOT NULL,
    name               TEXT,
    public_key         TEXT        NOT NULL,
    previous_key       TEXT,                      -- the old key during a rotation's overlap
    status             TEXT        NOT NULL,      -- ACTIVE, REVOKED (terminal), REMOVED (terminal)
    registry_revision  BIGINT      NOT NULL,      -- the last registry event applied (idempotence)
    presence           TEXT        NOT NULL DEFAULT 'NEVER', -- NEVER, ONLINE, STALE
    latest_handshake_at TIMESTAMPTZ,              -- across all edges
    latest_edge_id     TEXT,
    presence_changed_at TIMESTAMPTZ
);
CREATE INDEX peer_online ON peer (latest_handshake_at) WHERE presence = 'ONLINE' AND status = 'ACTIVE';

-- Every key ever revoked: observations made with one are ignored (and counted).
CREATE TABLE revoked_key (
    public_key TEXT PRIMARY KEY,
    peer_id    UUID NOT NULL,
    reason     TEXT NOT NULL
);

-- Every endpoint change, for the API's history and the churn window; trimmed by wgcp.tracker.history-retention.
CREATE TABLE endpoint_change (
    id           BIGSERIAL PRIMARY KEY,
    peer_id      UUID        NOT NULL,
    edge_id      TEXT        NOT NULL,
    network_id   TEXT        NOT NULL,
    old_endpoint TEXT,
    new_endpoint TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    observed_at  TIMESTAMPTZ NOT NULL,
    revision     BIGINT      NOT NULL
);
CREATE INDEX endpoint_change_peer ON endpoint_change (peer_id, observed_at DESC);
CREATE INDEX endpoint_change_time ON endpoint_change (observed_at);

-- The latest churn flag per peer (at most one per window).
CREATE TABLE churn_flag (
    peer_id        UUID PRIMARY KEY,
    network_id     TEXT        NOT NULL,
    edge_id        TEXT        NOT NULL,
    changes        INT         NOT NULL,
    window_seconds BIGINT      NOT NULL,
    endpoints      TEXT        NOT NULL,          -- comma-separated, newest first
    flagged_at     TIMESTAMPTZ NOT NULL,
    times_flagged  INT         NOT NULL DEFAULT 1
);

-- Observations of peers this tracker has not heard of yet (its copy of the peer topic lags): kept until the
-- registration arrives, or wgcp.tracker.pending-for passes.
CREATE TABLE pending_observation (
    id                  BIGSERIAL PRIMARY KEY,
    peer_id             UUID        NOT NULL,
    edge_id             TEXT        NOT NULL,
    public_key          TEXT        NOT NULL,
    endpoint            TEXT,
    latest_handshake_at TIMESTAMPTZ,
    observed_at         TIMESTAMPTZ NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_observation_peer ON pending_observation (peer_id);

-- Edges (wgcp.config.v1) and the public addresses their agents report.
CREATE TABLE edge (
    edge_id          TEXT PRIMARY KEY,
    endpoint         TEXT,
    addresses        TEXT,                        -- comma-separated
    addresses_seen_at TIMESTAMPTZ
);

-- The DNS records this tracker keeps (RFC 2136): what each name should answer (desired, with the time of the
-- observation it comes from) and what the DNS server last accepted. A newer observation only ever replaces an
-- older one, and one worker at a time sends a name's update, so updates are never reordered.
CREATE TABLE dns_record (
    name             TEXT PRIMARY KEY,            -- fully qualified, with the trailing dot
    zone_key         TEXT        NOT NULL,        -- wgcp.tracker.ddns.zones.<key>
    owner            TEXT        NOT NULL,        -- peer:<id> or edge:<id>
    addresses        TEXT,                        -- comma-separated; null: the records are to be deleted
    port             INT,
    version          TIMESTAMPTZ NOT NULL,        -- observedAt of what it says
    applied_version  TIMESTAMPTZ,                 -- the version the DNS server accepted last
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    claimed_until    TIMESTAMPTZ,
    last_error       TEXT,
    last_attempt_at  TIMESTAMPTZ,
    last_success_at  TIMESTAMPTZ
);
CREATE INDEX dns_record_due ON dns_record (next_attempt_at) WHERE applied_version IS DISTINCT FROM version;
CREATE INDEX dns_record_owner ON dns_record (owner);
