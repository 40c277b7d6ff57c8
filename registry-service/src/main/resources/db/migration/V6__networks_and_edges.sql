-- Networks and the edges (WireGuard servers) that serve them, owned by the API. Networks and edges
-- named in the configuration are inserted at start when absent; after that the API owns them.
CREATE TABLE network (
    name                 TEXT PRIMARY KEY,
    routes               TEXT[]      NOT NULL,
    dns                  TEXT[]      NOT NULL DEFAULT '{}',
    persistent_keepalive INTEGER     NOT NULL,
    pools                TEXT[]      NOT NULL DEFAULT '{}',
    created_at           TIMESTAMPTZ NOT NULL,
    created_by           TEXT        NOT NULL
);

CREATE TABLE edge (
    id         TEXT PRIMARY KEY,
    public_key TEXT        NOT NULL UNIQUE,
    endpoint   TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE network_edge (
    network_name TEXT NOT NULL REFERENCES network (name),
    edge_id      TEXT NOT NULL REFERENCES edge (id),
    PRIMARY KEY (network_name, edge_id)
);
