package dev.wgcp.tracker.service;

import dev.wgcp.schemas.signing.EdgeKeys;
import dev.wgcp.tracker.persistence.EdgeStore;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import java.sql.Connection;

/**
 * The edges' signing keys and networks as the tracker knows them (table {@code edge}, kept from the
 * registry's {@code EdgeChanged}), loaded at start and updated as edges change: what each edge's
 * observations are checked against before they move anything.
 */
@Singleton
public class EdgeReports {

    private final EdgeKeys keys = new EdgeKeys();
    private final EdgeStore edges;
    private final TransactionOperations<Connection> tx;

    public EdgeReports(EdgeStore edges, TransactionOperations<Connection> tx) {
        this.edges = edges;
        this.tx = tx;
    }

    @PostConstruct
    void load() {
        tx.executeRead(status -> edges.identities()).forEach(i -> keys.edge(i.edgeId(), i.signingKey(), i.networks()));
    }

    public EdgeKeys keys() {
        return keys;
    }
}
