package dev.wgcp.ipam.persistence;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Table {@code peer}: ipam's view of the registry's peers. */
@Singleton
public class PeerStore {

    /** A peer as the registry's events describe it. */
    public record KnownPeer(UUID peerId, String networkId, String name, List<String> tags, long registryRevision,
                            boolean removed, long addressRevision) {
    }

    private final Sql sql;

    public PeerStore(Sql sql) {
        this.sql = sql;
    }

    public Optional<KnownPeer> find(UUID peerId) {
        return sql.one("SELECT peer_id, network_id, name, tags, registry_revision, removed, address_revision FROM peer WHERE peer_id = ?",
                rs -> new KnownPeer(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), splitTags(rs.getString(4)),
                        rs.getLong(5), rs.getBoolean(6), rs.getLong(7)), peerId);
    }

    /** Records a registration; an older or repeated one changes nothing (a removed peer stays removed). */
    public void registered(UUID peerId, String network, String name, List<String> tags, long revision, Instant now) {
        sql.update("INSERT INTO peer (peer_id, network_id, name, tags, registry_revision, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (peer_id) DO UPDATE SET network_id = EXCLUDED.network_id, name = EXCLUDED.name, tags = EXCLUDED.tags,"
                        + " registry_revision = EXCLUDED.registry_revision, updated_at = EXCLUDED.updated_at"
                        + " WHERE peer.registry_revision < EXCLUDED.registry_revision AND NOT peer.removed",
                peerId, network, name, String.join(",", tags), revision, now);
    }

    /** Name and tags changed; applied when newer than what is known. */
    public void updated(UUID peerId, String name, List<String> tags, long revision, Instant now) {
        sql.update("UPDATE peer SET name = ?, tags = ?, registry_revision = ?, updated_at = ? WHERE peer_id = ? AND registry_revision < ?",
                name, String.join(",", tags), revision, now, peerId, revision);
    }

    /** Marks the peer removed (terminal); creates the row when the registration was never seen. */
    public void removed(UUID peerId, String network, long revision, Instant now) {
        sql.update("INSERT INTO peer (peer_id, network_id, registry_revision, removed, updated_at) VALUES (?, ?, ?, true, ?)"
                + " ON CONFLICT (peer_id) DO UPDATE SET removed = true, registry_revision = GREATEST(peer.registry_revision, EXCLUDED.registry_revision),"
                + " updated_at = EXCLUDED.updated_at", peerId, network, revision, now);
    }

    /** The revision of the peer's next address event (1 for the first), counted in the peer's row. */
    public long nextAddressRevision(UUID peerId, String network, Instant now) {
        return sql.one("INSERT INTO peer (peer_id, network_id, registry_revision, address_revision, updated_at) VALUES (?, ?, 0, 1, ?)"
                        + " ON CONFLICT (peer_id) DO UPDATE SET address_revision = peer.address_revision + 1 RETURNING address_revision",
                rs -> rs.getLong(1), peerId, network, now).orElseThrow();
    }

    static List<String> splitTags(String tags) {
        return tags == null || tags.isBlank() ? List.of() : List.of(tags.split(","));
    }
}
