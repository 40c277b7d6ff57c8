package dev.wgcp.registry.api;

import dev.wgcp.registry.service.Networks;
import dev.wgcp.registry.domain.ClientConfig;
import dev.wgcp.registry.domain.KeyPair;
import dev.wgcp.registry.domain.Peer;
import dev.wgcp.registry.domain.PeerStatus;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.registry.service.AddressWaiters;
import dev.wgcp.registry.service.PeerService;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import dev.wgcp.kit.security.Caller;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Peers: register, list, get, client config, revoke. Reading needs any API token; changing needs an
 * admin token, or an operator token (of the peer's network when the token names one).
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PeerController {

    private final PeerService peers;
    private final Networks networks;
    private final AddressWaiters waiters;
    private final Duration addressWait;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    public PeerController(PeerService peers, Networks networks, AddressWaiters waiters,
                          @Value("${wgcp.registry.address-wait:5s}") Duration addressWait) {
        this.peers = peers;
        this.networks = networks;
        this.waiters = waiters;
        this.addressWait = addressWait;
    }

    /**
     * Registers a peer and waits, bounded, for its tunnel address: 201 with the wg-quick config when it
     * came in time, else 202 with a Location to poll. The wait holds no thread: the response is sent
     * when the address listener completes the waiter, or when the wait times out.
     */
    @Post("/networks/{network}/peers")
    public CompletableFuture<HttpResponse<?>> register(@PathVariable String network,
                                                                  @Body @Nullable RegisterPeerRequest request,
                                                                  Authentication authentication) {
        Caller caller = Caller.of(authentication);
        caller.requireNetwork(network);
        if (request == null) {
            throw Refusal.invalid("request body is missing: expected JSON {\"publicKey\": \"<wg pubkey output>\","
                    + " \"name\": \"laptop\"}, or {\"generateKey\": true} to have the registry make the key pair");
        }
        boolean generate = Boolean.TRUE.equals(request.generateKey());
        if (generate && request.publicKey() != null) {
            throw Refusal.invalid("send either publicKey (preferred: the private key never leaves the device) or "
                    + "\"generateKey\": true, not both");
        }
        // A generated private key lives only in this request: it is in the answer once, never stored or logged.
        KeyPair generated = generate ? KeyPair.generate(random) : null;
        String publicKey = generate ? generated.publicKey().base64() : request.publicKey();
        UUID id = UUID.randomUUID();
        waiters.expect(id);
        PeerService.WithPeerToken registered;
        try {
            registered = peers.registerWithPeerToken(id, network, publicKey, request.name(), request.persistentKeepalive(),
                    request.tags(), Durations.parse("lifetime", request.lifetime()), blankToNull(request.edge()), blankToNull(request.endpoint()),
                    caller.actor());
        } catch (RuntimeException e) {
            waiters.forget(id);
            throw e;
        }
        return whenAddressed(registered.peer(), waiters, addressWait, networks, generate ? generated.privateKey() : null,
                registered.peerToken());
    }

    /** The peer's wg-quick config as a QR code (PNG), for WireGuard's mobile apps. */
    @Get("/peers/{id}/config.png")
    @Produces("image/png")
    public byte[] configQr(@PathVariable String id, Authentication authentication) {
        return QrCode.png(config(id, authentication));
    }

    /**
     * 201 with the config once the peer's address came (within {@code wait}), else 202 with a Location
     * to poll. The peer is shown as it was when its address committed: what a GET then would answer.
     */
    static CompletableFuture<HttpResponse<?>> whenAddressed(Peer registered, AddressWaiters waiters, Duration wait,
                                                            Networks networks, @Nullable String privateKey,
                                                            @Nullable String peerToken) {
        URI location = URI.create("/v1/peers/" + registered.id());
        return waiters.await(registered.id(), wait).thenApply(addresses -> {
            if (addresses.isPresent() && addresses.get().error() != null) {
                // Registered, but no address can be given: say why and what to do, not a config that cannot work.
                return HttpResponse.status(io.micronaut.http.HttpStatus.CONFLICT).body(new dev.wgcp.http.ErrorResponse(409,
                                "no_address", "peer " + registered.id() + " is registered but got no tunnel address: "
                                + addresses.get().error())).header("Location", location.toString());
            }
            Peer peer = addresses.map(a -> registered.assignAddress(a.ipv4(), a.ipv6(), a.edge(), a.revision())).orElse(registered);
            PeerResponse body = PeerResponse.withSecrets(peer, networks.get(peer.networkId()), privateKey, peerToken);
            return peer.hasAddress() ? HttpResponse.created(body, location) : HttpResponse.accepted(location).body(body);
        });
    }

    @Get("/peers{?network,status,tag,name,limit,offset}")
    public List<PeerResponse> list(@Nullable @QueryValue String network, @Nullable @QueryValue String status,
                                   @Nullable @QueryValue String tag, @Nullable @QueryValue String name,
                                   @Nullable @QueryValue Integer limit, @Nullable @QueryValue Long offset,
                                   Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (caller.networkId() != null) {
            caller.requireNetwork(network == null ? caller.networkId() : network);
            network = caller.networkId();
        }
        int l = limit == null ? 100 : limit;
        long o = offset == null ? 0 : offset;
        if (l < 1 || l > 1000) {
            throw Refusal.invalid("limit must be 1 to 1000, got " + l);
        }
        if (o < 0) {
            throw Refusal.invalid("offset must be 0 or more, got " + o);
        }
        return peers.list(network, parseStatus(status), tag, name, l, o).stream()
                .map(p -> PeerResponse.of(p, networks.get(p.networkId()))).toList();
    }

    @Get("/peers/{id}")
    public PeerResponse get(@PathVariable String id, Authentication authentication) {
        Peer peer = peers.get(parseId(id, "peer"));
        Caller.of(authentication).requireNetwork(peer.networkId());
        return PeerResponse.of(peer, networks.get(peer.networkId()));
    }

    @Get("/peers/{id}/config")
    @Produces(MediaType.TEXT_PLAIN)
    public String config(@PathVariable String id, Authentication authentication) {
        Peer peer = peers.get(parseId(id, "peer"));
        Caller.of(authentication).requireNetwork(peer.networkId());
        if (peer.isRevoked()) {
            throw Refusal.conflict("peer " + id + " is revoked; its configuration no longer works anywhere");
        }
        return ClientConfig.render(peer, networks.get(peer.networkId()));
    }

    /** {@code POST /v1/peers/{id}/rotate}. */
    @io.micronaut.serde.annotation.Serdeable
    public record RotateKeyRequest(@Nullable String publicKey) {
    }

    /**
     * Replaces the peer's key; it keeps its id and tunnel address. Allowed to the device itself with its
     * peer token ({@code Authorization: Bearer wgcr_...}, from its registration or last rotation), and to
     * admins and the network's operators. The answer carries the peer's next peer token, once.
     */
    @Post("/peers/{id}/rotate")
    public PeerResponse rotate(@PathVariable String id, @Body @Nullable RotateKeyRequest request,
                               @Nullable Authentication authentication, io.micronaut.http.HttpRequest<?> http) {
        UUID peerId = parseId(id, "peer");
        String actor;
        if (authentication != null && (authentication.getRoles().contains("ADMIN") || authentication.getRoles().contains("OPERATOR"))) {
            Caller caller = Caller.of(authentication);
            caller.requireNetworkOf(() -> peers.get(peerId).networkId());
            actor = caller.actor();
        } else {
            String bearer = http.getHeaders().getAuthorization().filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7).strip()).orElse(null);
            if (bearer == null || !peers.isPeerToken(peerId, bearer)) {
                throw new dev.wgcp.kit.domain.CredentialRefused(dev.wgcp.kit.domain.AuthFailure.PEER_TOKEN,
                        bearer == null ? "no Authorization header" : null);
            }
            actor = "peer:" + peerId;
        }
        if (request == null || request.publicKey() == null) {
            throw Refusal.invalid("expected JSON {\"publicKey\": \"<the new key's wg pubkey output>\"}");
        }
        PeerService.WithPeerToken rotated = peers.rotate(peerId, request.publicKey(), actor);
        return PeerResponse.withSecrets(rotated.peer(), networks.get(rotated.peer().networkId()), null, rotated.peerToken());
    }

    /** {@code PATCH /v1/peers/{id}}: name, tags, persistentKeepalive, endpoint ("" removes it); anything else is refused. */
    @io.micronaut.serde.annotation.Serdeable
    public record UpdatePeerRequest(@Nullable String name, @Nullable List<String> tags, @Nullable Integer persistentKeepalive,
                                    @Nullable String publicKey, @Nullable String ipv4Address, @Nullable String ipv6Address,
                                    @Nullable String endpoint) {
    }

    /** Changes a peer's name, tags or keepalive. Its public key and tunnel address never change. */
    @io.micronaut.http.annotation.Patch("/peers/{id}")
    public PeerResponse update(@PathVariable String id, @Body @Nullable UpdatePeerRequest request, Authentication authentication) {
        if (request == null) {
            throw Refusal.invalid("request body is missing: expected JSON with any of name, tags, persistentKeepalive");
        }
        if (request.publicKey() != null || request.ipv4Address() != null || request.ipv6Address() != null) {
            throw Refusal.invalid("a peer's public key and tunnel addresses never change after registration "
                    + "(firewall rules, DNS and monitoring rely on them); only name, tags, persistentKeepalive and endpoint can be changed");
        }
        Caller caller = Caller.of(authentication);
        UUID peerId = parseId(id, "peer");
        caller.requireNetworkOf(() -> peers.get(peerId).networkId());
        Peer peer = peers.update(peerId, request.name(), request.tags(), request.persistentKeepalive(), request.endpoint(),
                caller.actor());
        return PeerResponse.of(peer, networks.get(peer.networkId()));
    }

    /**
     * Revokes the peer's key everywhere: terminal; revoking again answers the same revoked peer. With
     * {@code ?remove=true} the peer is also deleted: its addresses are released (PeerRemoved).
     */
    @Delete("/peers/{id}{?remove}")
    public PeerResponse revoke(@PathVariable String id, @Nullable @QueryValue Boolean remove, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID peerId = parseId(id, "peer");
        caller.requireNetworkOf(() -> peers.get(peerId).networkId());
        Peer peer = Boolean.TRUE.equals(remove) ? peers.delete(peerId, caller.actor()) : peers.revoke(peerId, caller.actor());
        return PeerResponse.of(peer, networks.get(peer.networkId()));
    }

    static UUID parseId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(what + " id '" + id + "' is not a UUID; expected e.g. 3f2c8a1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f");
        }
    }

    static PeerStatus parseStatus(String status) {
        if (status == null) {
            return null;
        }
        try {
            return PeerStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("status '" + status + "' is unknown; expected ACTIVE, REVOKED or DELETED");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
