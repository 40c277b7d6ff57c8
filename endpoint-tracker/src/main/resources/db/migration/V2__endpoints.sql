-- The current endpoint of each peer as each edge sees it.
CREATE TABLE endpoint_state (
    peer_id             UUID        NOT NULL,
    edge_id             TEXT        NOT NULL,
    public_key          TEXT        NOT NULL,
    endpoint            TEXT        NOT NULL,
    latest_handshake_at TIMESTAMPTZ,
    observed_at         TIMESTAMPTZ NOT NULL,
    changed_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (peer_id, edge_id)
);
-- Revision of the last EndpointChanged emitted per peer (the per-peer revision of the event stream).
CREATE TABLE peer_revision (
    peer_id  UUID PRIMARY KEY,
    revision BIGINT NOT NULL
);
