-- One row per address handed out. The primary key makes it impossible for two peers to hold the same
-- address of a pool, and the unique (pool, peer_id) that a peer gets one address per pool, whatever
-- the code above does: exactly once is enforced by the database.
CREATE TABLE allocation (
    pool         TEXT        NOT NULL,
    host_index   BIGINT      NOT NULL,
    address      TEXT        NOT NULL,
    peer_id      UUID        NOT NULL,
    network_id   TEXT        NOT NULL,
    allocated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (pool, host_index),
    UNIQUE (pool, peer_id)
);
CREATE INDEX allocation_peer ON allocation (peer_id);
