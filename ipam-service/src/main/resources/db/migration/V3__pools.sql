-- Pools, reservations and free space live in the database from here on (they were configuration).
-- Invariants the database enforces, whatever the code above does:
--   * pools of one network never overlap (exclusion constraint on the prefix);
--   * reservations of a pool never overlap each other, nor do free ranges;
--   * an address of a pool is held by at most one peer, a peer holds at most one address of a pool
--     (allocation's primary key and unique constraint, V2).
-- btree_gist lets one exclusion constraint combine "same network" (=) with "overlapping prefix" (&&);
-- it ships with PostgreSQL (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE pool (
    name        TEXT        PRIMARY KEY,
    network_id  TEXT        NOT NULL,
    prefix      CIDR        NOT NULL,
    -- The edge (WireGuard server) whose interface this pool is the segment of; NULL when the pool is
    -- shared by all edges of the network.
    edge_id     TEXT,
    description TEXT,
    -- Highest usable host index of the prefix (host index 0 is the prefix's own address).
    last_index  BIGINT      NOT NULL,
    -- Counters kept with every change under the pool's row lock, so usage and the exhaustion warning
    -- cost no count over the allocations.
    allocated   BIGINT      NOT NULL DEFAULT 0,
    reserved    BIGINT      NOT NULL DEFAULT 0,
    warned      BOOLEAN     NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT pool_no_overlap EXCLUDE USING gist (network_id WITH =, prefix inet_ops WITH &&)
);

-- Addresses or ranges never handed out: servers, gateways, static hosts.
CREATE TABLE reservation (
    id          UUID        PRIMARY KEY,
    pool        TEXT        NOT NULL REFERENCES pool (name) ON DELETE CASCADE,
    first_index BIGINT      NOT NULL,
    last_index  BIGINT      NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    CHECK (first_index <= last_index),
    CONSTRAINT reservation_no_overlap EXCLUDE USING gist (pool WITH =, int8range(first_index, last_index, '[]') WITH &&)
);

-- The free space of each pool as ranges of host indexes. Fresh ranges (never handed out) are used
-- first, lowest first; then recycled ones (released addresses, lifted reservations) once their
-- quarantine is over, longest-waiting first. Either is one index look-up: allocation cost does not
-- grow with the number of allocated addresses.
CREATE TABLE free_range (
    pool         TEXT        NOT NULL REFERENCES pool (name) ON DELETE CASCADE,
    first_index  BIGINT      NOT NULL,
    last_index   BIGINT      NOT NULL,
    recycled     BOOLEAN     NOT NULL,
    available_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (pool, first_index),
    CHECK (first_index <= last_index),
    CONSTRAINT free_range_no_overlap EXCLUDE USING gist (pool WITH =, int8range(first_index, last_index, '[]') WITH &&)
);
CREATE INDEX free_range_recycled ON free_range (pool, available_at, first_index) WHERE recycled;

-- What ipam knows of each peer from the registry's events: for segment choice, export and release.
CREATE TABLE peer (
    peer_id           UUID        PRIMARY KEY,
    network_id        TEXT        NOT NULL,
    name              TEXT,
    tags              TEXT        NOT NULL DEFAULT '',
    registry_revision BIGINT      NOT NULL,
    removed           BOOLEAN     NOT NULL DEFAULT false,
    -- Counts ipam's address events of the peer (AddressAssigned, AddressReleased): their revision.
    address_revision  BIGINT      NOT NULL DEFAULT 0,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- An imported allocation of a peer ipam has not seen registered yet is announced (AddressAssigned)
-- when its PeerRegistered arrives.
ALTER TABLE allocation ADD COLUMN announced BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE allocation ADD COLUMN dns_name TEXT;
ALTER TABLE allocation ADD COLUMN description TEXT;
ALTER TABLE allocation ADD COLUMN tags TEXT;

-- Peers allocated before this version: their AddressAssigned was revision 1.
INSERT INTO peer (peer_id, network_id, registry_revision, address_revision, updated_at)
SELECT DISTINCT ON (peer_id) peer_id, network_id, 0, 1, now() FROM allocation ORDER BY peer_id;
