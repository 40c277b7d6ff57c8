package dev.wgcp.tracker.service;

import dev.wgcp.tracker.domain.ChurnFlag;
import dev.wgcp.tracker.domain.DnsRecord;
import dev.wgcp.tracker.domain.EndpointHistoryEntry;
import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.domain.Presence;
import dev.wgcp.tracker.persistence.ChurnStore;
import dev.wgcp.tracker.persistence.DnsRecordStore;
import dev.wgcp.tracker.persistence.EndpointStore;
import dev.wgcp.tracker.persistence.PeerStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the API reads. */
@Singleton
public class TrackerQueries {

    /** Everything the tracker knows of one peer. */
    public record PeerReport(KnownPeer peer, List<EndpointState> endpoints, Optional<String> dnsName, List<DnsRecord> dns,
                             Optional<ChurnFlag> churn) {
    }

    private final PeerStore peers;
    private final EndpointStore endpoints;
    private final ChurnStore churn;
    private final DnsRecordStore dns;
    private final DdnsService ddns;

    public TrackerQueries(PeerStore peers, EndpointStore endpoints, ChurnStore churn, DnsRecordStore dns, DdnsService ddns) {
        this.peers = peers;
        this.endpoints = endpoints;
        this.churn = churn;
        this.dns = dns;
        this.ddns = ddns;
    }

    @Transactional(readOnly = true)
    public Optional<PeerReport> peer(String peerId) {
        return peers.find(peerId).map(p -> new PeerReport(p, endpoints.forPeer(peerId), ddns.nameOf(p),
                dns.ofOwner(DdnsService.owner(peerId)), churn.find(peerId)));
    }

    @Transactional(readOnly = true)
    public List<KnownPeer> peers(Presence presence, String networkId, int limit) {
        return peers.list(presence, networkId, limit);
    }

    /** The network of a known peer. */
    @Transactional(readOnly = true)
    public Optional<String> networkOf(String peerId) {
        return peers.find(peerId).map(KnownPeer::networkId);
    }

    @Transactional(readOnly = true)
    public List<EndpointState> endpoints(String peerId) {
        return endpoints.forPeer(peerId);
    }

    @Transactional(readOnly = true)
    public List<EndpointHistoryEntry> history(String peerId, Instant before, int limit) {
        return endpoints.history(peerId, before, limit);
    }

    @Transactional(readOnly = true)
    public List<ChurnFlag> churn(Instant since, String networkId, int limit) {
        return churn.since(since, networkId, limit);
    }

    @Transactional(readOnly = true)
    public List<DnsRecord> dns(int limit) {
        return dns.all(limit);
    }
}
