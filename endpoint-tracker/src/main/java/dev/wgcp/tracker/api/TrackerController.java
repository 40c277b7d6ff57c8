package dev.wgcp.tracker.api;

import dev.wgcp.tracker.domain.ChurnFlag;
import dev.wgcp.tracker.domain.DnsRecord;
import dev.wgcp.tracker.domain.EndpointHistoryEntry;
import dev.wgcp.tracker.domain.EndpointState;
import dev.wgcp.tracker.domain.KnownPeer;
import dev.wgcp.tracker.domain.Presence;
import dev.wgcp.tracker.service.TrackerQueries;
import io.micronaut.core.annotation.Nullable;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.security.Caller;
import io.micronaut.http.HttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Where each peer is seen from, whether it is online, how its endpoint moved, churn, and the DNS names kept. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TrackerController {

    @Serdeable
    public record EndpointView(String edgeId, String endpoint, @Nullable Instant latestHandshakeAt, Instant observedAt,
                               Instant changedAt) {
        static EndpointView of(EndpointState s) {
            return new EndpointView(s.edgeId(), s.endpoint(), s.latestHandshakeAt(), s.observedAt(), s.changedAt());
        }
    }

    @Serdeable
    public record PeerView(String peerId, String networkId, @Nullable String name, String publicKey, String status, String state,
                           @Nullable Instant latestHandshakeAt, @Nullable String latestEdgeId, @Nullable String endpoint,
                           @Nullable List<EndpointView> endpoints, @Nullable String dnsName, @Nullable List<DnsView> dns,
                           @Nullable ChurnView churn) {
    }

    @Serdeable
    public record ChangeView(String edgeId, String networkId, @Nullable String oldEndpoint, String newEndpoint, String kind,
                             Instant observedAt, long revision) {
        static ChangeView of(EndpointHistoryEntry e) {
            return new ChangeView(e.edgeId(), e.networkId(), e.oldEndpoint(), e.newEndpoint(), e.kind(), e.observedAt(), e.revision());
        }
    }

    @Serdeable
    public record ChurnView(String peerId, String networkId, String edgeId, int changes, long windowSeconds, List<String> endpoints,
                            Instant flaggedAt, int timesFlagged) {
        static ChurnView of(ChurnFlag f) {
            return new ChurnView(f.peerId(), f.networkId(), f.edgeId(), f.changes(), f.windowSeconds(), f.endpoints(), f.flaggedAt(),
                    f.timesFlagged());
        }
    }

    @Serdeable
    public record DnsView(String name, String zone, String owner, List<String> addresses, @Nullable Integer port, String state,
                          Instant version, @Nullable Instant appliedVersion, int failedAttempts, @Nullable Instant nextAttemptAt,
                          @Nullable String lastError, @Nullable Instant lastSuccessAt) {
        static DnsView of(DnsRecord r) {
            String state = r.inSync() ? (r.addresses().isEmpty() ? "deleted" : "current") : (r.attempts() > 0 ? "failing" : "pending");
            return new DnsView(r.name(), r.zoneKey(), r.owner(), r.addresses(), r.port(), state, r.version(), r.appliedVersion(),
                    r.attempts(), r.inSync() ? null : r.nextAttemptAt(), r.lastError(), r.lastSuccessAt());
        }
    }

    private static final int MAX_LIMIT = 1000;

    private final TrackerQueries queries;
    private final Clock clock;

    public TrackerController(TrackerQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** One peer: state (never, online, stale), latest handshake, endpoint per edge, DNS name and records, churn flag. */
    @Get("/peers/{id}")
    public HttpResponse<?> peer(@PathVariable String id, Authentication authentication) {
        requireId(id);
        return queries.peer(id).<HttpResponse<?>>map(r -> {
            Caller.of(authentication).requireNetwork(r.peer().networkId());
            List<EndpointView> endpoints = r.endpoints().stream().map(EndpointView::of).toList();
            String latest = r.endpoints().stream().filter(s -> s.edgeId().equals(r.peer().latestEdgeId())).map(EndpointState::endpoint)
                    .findFirst().orElse(null);
            return HttpResponse.ok(view(r.peer(), latest, endpoints, r.dnsName().orElse(null),
                    r.dns().stream().map(DnsView::of).toList(), r.churn().map(ChurnView::of).orElse(null)));
        }).orElseThrow(() -> Refusal.notFound("peer " + id + " is not known to endpoint-tracker: it was never registered,"
                + " or its registration has not reached the tracker yet"));
    }

    /** Peers by state ({@code never}, {@code online}, {@code stale}) and network, oldest handshake first. */
    @Get("/peers{?state,network,limit}")
    public HttpResponse<?> peers(@Nullable @QueryValue String state, @Nullable @QueryValue String network,
                                 @Nullable @QueryValue Integer limit, Authentication authentication) {
        network = Caller.of(authentication).ownNetwork(network);
        Presence presence = null;
        if (state != null) {
            try {
                presence = Presence.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("state '" + state + "' is not known: expected never, online or stale");
            }
        }
        requireLimit(limit);
        return HttpResponse.ok(queries.peers(presence, network, limit == null ? 100 : limit).stream()
                .map(p -> view(p, null, null, null, null, null)).toList());
    }

    /** Stale peers: online once, no handshake within the online window now. */
    @Get("/stale{?network,limit}")
    public HttpResponse<?> stale(@Nullable @QueryValue String network, @Nullable @QueryValue Integer limit,
                                 Authentication authentication) {
        return peers("stale", network, limit, authentication);
    }

    @Get("/peers/{id}/endpoints")
    public HttpResponse<?> endpoints(@PathVariable String id, Authentication authentication) {
        requireId(id);
        requirePeerNetwork(id, authentication);
        return HttpResponse.ok(queries.endpoints(id).stream().map(EndpointView::of).toList());
    }

    /** The peer's endpoint changes, newest first; {@code before} (ISO-8601) pages back. */
    @Get("/peers/{id}/history{?before,limit}")
    public HttpResponse<?> history(@PathVariable String id, @Nullable @QueryValue String before, @Nullable @QueryValue Integer limit,
                                   Authentication authentication) {
        requireId(id);
        requireLimit(limit);
        requirePeerNetwork(id, authentication);
        Instant until = null;
        if (before != null) {
            try {
                until = Instant.parse(before);
            } catch (DateTimeParseException e) {
                throw Refusal.invalid("before '" + before
                        + "' is not a time: expected ISO-8601 in UTC, e.g. 2026-11-26T12:00:00Z");
            }
        }
        return HttpResponse.ok(queries.history(id, until, limit == null ? 100 : limit).stream().map(ChangeView::of).toList());
    }

    /** Peers flagged for endpoint churn within {@code hours} (24 unless given), newest first. */
    @Get("/churn{?hours,limit}")
    public HttpResponse<?> churn(@Nullable @QueryValue Integer hours, @Nullable @QueryValue Integer limit, Authentication authentication) {
        if (hours != null && (hours < 1 || hours > 24 * 90)) {
            throw Refusal.invalid("hours " + hours + " is out of range: expected 1 to 2160");
        }
        requireLimit(limit);
        Instant since = clock.instant().minusSeconds(3600L * (hours == null ? 24 : hours));
        return HttpResponse.ok(queries.churn(since, Caller.of(authentication).networkId(), limit == null ? 100 : limit).stream().map(ChurnView::of).toList());
    }

    /** The DNS names kept, with what the server accepted and any failure. */
    @Get("/dns{?limit}")
    public HttpResponse<?> dns(@Nullable @QueryValue Integer limit) {
        requireLimit(limit);
        return HttpResponse.ok(queries.dns(limit == null ? MAX_LIMIT : limit).stream().map(DnsView::of).toList());
    }

    /** 403 for a caller limited to another network than the peer's; a peer not known yet has no history to show either way. */
    private void requirePeerNetwork(String id, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (caller.networkId() != null) {
            queries.networkOf(id).ifPresent(caller::requireNetwork);
        }
    }

    private PeerView view(KnownPeer p, String endpoint, List<EndpointView> endpoints, String dnsName, List<DnsView> dns, ChurnView churn) {
        String state = p.status() == KnownPeer.Status.ACTIVE ? p.presence().name().toLowerCase(Locale.ROOT)
                : p.status().name().toLowerCase(Locale.ROOT);
        return new PeerView(p.peerId(), p.networkId(), p.name(), p.publicKey(), p.status().name().toLowerCase(Locale.ROOT), state,
                p.latestHandshakeAt(), p.latestEdgeId(), endpoint, endpoints, dnsName, dns, churn);
    }

    private static void requireId(String id) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("peer id '" + id + "' is not a UUID; expected e.g. 3f2c8a1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f");
        }
    }

    private static void requireLimit(Integer limit) {
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw Refusal.invalid("limit " + limit + " is out of range: expected 1 to " + MAX_LIMIT);
        }
    }
}
