package dev.wgcp.tracker.service;

import dev.wgcp.tracker.dns.DnsNames;
import dev.wgcp.tracker.dns.DnsZone;
import dev.wgcp.tracker.dns.DnsZones;
import dev.wgcp.tracker.domain.Endpoint;
import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.persistence.DnsRecordStore;
import dev.wgcp.tracker.persistence.EdgeStore.Edge;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which DNS names should answer what. Called inside the transactions that change endpoints, so the
 * wish is stored with the change; {@link DdnsWorker} sends it to the server.
 *
 * <p>Peers: {@code <label of the peer's name>.<zone of its network>}, A or AAAA of the endpoint's
 * address and an SRV record with its port. Edges: the name in the edge's registered endpoint, when it
 * lies in a configured zone, answers the addresses its agent reports.
 */
@Singleton
public class DdnsService {

    private static final Logger LOG = LoggerFactory.getLogger(DdnsService.class);

    private final DnsZones zones;
    private final DnsRecordStore records;

    public DdnsService(DnsZones zones, DnsRecordStore records) {
        this.zones = zones;
        this.records = records;
    }

    /** The DNS name of a peer, when its network has a zone and its name makes a label. */
    public Optional<String> nameOf(KnownPeer peer) {
        Optional<DnsZone> zone = zones.forNetwork(peer.networkId());
        Optional<String> label = DnsNames.label(peer.name());
        return zone.isPresent() && label.isPresent() ? Optional.of(label.get() + "." + zone.get().zone()) : Optional.empty();
    }

    public void peerEndpoint(KnownPeer peer, String endpoint, Instant observedAt, Instant now) {
        Optional<String> name = nameOf(peer);
        if (name.isEmpty()) {
            return;
        }
        Endpoint e = Endpoint.parse(endpoint);
        DnsRecordStore.Want result = records.want(name.get(), zones.forNetwork(peer.networkId()).orElseThrow().key(),
                owner(peer.peerId()), List.of(e.host()), e.port(), observedAt, now);
        if (result == DnsRecordStore.Want.TAKEN) {
            LOG.warn("DNS name {} is held by another peer of the same name: peer {} gets no record until that peer is revoked,"
                    + " deleted or renamed, or this one is renamed", name.get(), peer.peerId());
        }
    }

    /** The peer is revoked, removed or renamed: its names are to be deleted. */
    public void peerGone(String peerId, Instant now) {
        List<String> names = records.deleteAllOf(owner(peerId), now);
        if (!names.isEmpty()) {
            LOG.info("DNS names {} of peer {} to be deleted", names, peerId);
        }
    }

    /** The edge's endpoint or reported addresses changed. */
    public void edge(Optional<Edge> before, Edge after, Instant now) {
        Optional<String> name = edgeName(after.endpoint());
        Optional<String> was = before.flatMap(b -> edgeName(b.endpoint()));
        if (was.isPresent() && !was.equals(name)) {
            records.deleteAllOf("edge:" + after.edgeId(), now);
        }
        if (name.isEmpty() || after.addresses() == null || after.addresses().isEmpty() || after.addressesSeenAt() == null) {
            return;
        }
        DnsZone zone = zones.containing(name.get()).orElseThrow();
        int port = Endpoint.parse(after.endpoint()).port();
        if (records.want(DnsNames.absolute(name.get()), zone.key(), "edge:" + after.edgeId(), after.addresses(), port,
                after.addressesSeenAt(), now) == DnsRecordStore.Want.TAKEN) {
            LOG.warn("DNS name {} of edge {} is held by a peer of that name: the edge's record is not kept", name.get(), after.edgeId());
        }
    }

    private Optional<String> edgeName(String endpoint) {
        if (endpoint == null) {
            return Optional.empty();
        }
        String host;
        try {
            host = Endpoint.parse(endpoint).host();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return Optional.empty(); // an address, not a name
        }
        return zones.containing(host).map(z -> DnsNames.absolute(host));
    }

    static String owner(String peerId) {
        return "peer:" + peerId;
    }
}
