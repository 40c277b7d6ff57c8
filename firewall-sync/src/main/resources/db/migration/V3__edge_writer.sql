-- One firewall-sync instance at a time writes an edge's rulesets: the holder of the edge's lease,
-- renewed every few seconds, taken over by another instance once it expires. Every revision comes
-- from here, from the holder only, so two instances never publish the same revision for an edge.
CREATE TABLE fw_edge_writer (
    edge_id    TEXT        PRIMARY KEY,
    holder     TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revision   BIGINT      NOT NULL DEFAULT 0
);
