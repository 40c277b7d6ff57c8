-- Firewall definitions per network, as the policy API takes them (firewall-sync compiles them with the
-- peers into each edge's ruleset). Names are 1 to 32 of a-z, 0-9 and '-'.
CREATE TABLE fw_group (
    network_id TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    tags       TEXT[]  NOT NULL DEFAULT '{}',
    peers      TEXT[]  NOT NULL DEFAULT '{}',
    all_peers  BOOLEAN NOT NULL DEFAULT FALSE,
    mark_bit   INT     NOT NULL CHECK (mark_bit BETWEEN 0 AND 31), -- the conntrack mark bit of its members' connections
    PRIMARY KEY (network_id, name),
    UNIQUE (network_id, mark_bit)
);

CREATE TABLE fw_policy (
    network_id TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    from_group TEXT   NOT NULL,
    to_group   TEXT,
    to_cidrs   TEXT[] NOT NULL DEFAULT '{}',
    protocol   TEXT   NOT NULL,
    ports      TEXT[] NOT NULL DEFAULT '{}',
    edges      TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (network_id, name)
);

CREATE TABLE fw_allow_list (
    network_id TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    group_name TEXT   NOT NULL,
    protocol   TEXT   NOT NULL,
    ports      TEXT[] NOT NULL DEFAULT '{}',
    edges      TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (network_id, name)
);
