package dev.wgcp.registry.api;

import dev.wgcp.registry.service.Networks;
import dev.wgcp.kit.domain.AuthFailure;
import dev.wgcp.kit.domain.CredentialRefused;
import dev.wgcp.registry.domain.EnrolmentToken;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.registry.persistence.EnrolmentStore;
import dev.wgcp.kit.security.Caller;
import dev.wgcp.registry.service.AddressWaiters;
import dev.wgcp.registry.service.EnrolmentService;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Enrolment: operators issue short-lived, N-use tokens for a network and tags; a device redeems one
 * with its public key ({@code POST /v1/enrol}) and needs no other credential.
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EnrolmentController {

    /** {@code POST /v1/networks/{network}/enrolment-tokens}. */
    @Serdeable
    public record CreateEnrolmentTokenRequest(@Nullable String name, @Nullable List<String> tags, @Nullable Integer maxUses,
                                              @Nullable String ttl, @Nullable String peerLifetime) {
    }

    /** A token as listed: never its secret. */
    @Serdeable
    public record EnrolmentTokenResponse(String id, @Nullable String name, String network, List<String> tags, int maxUses,
                                         int uses, Instant createdAt, String createdBy, Instant expiresAt,
                                         @Nullable Instant revokedAt, @Nullable List<UseResponse> usedBy,
                                         @Nullable String peerLifetime) {
        static EnrolmentTokenResponse of(EnrolmentToken t, @Nullable List<EnrolmentStore.Use> uses) {
            return new EnrolmentTokenResponse(t.id().toString(), t.name(), t.networkId(), t.tags(), t.maxUses(), t.uses(),
                    t.createdAt(), t.createdBy(), t.expiresAt(), t.revokedAt(),
                    uses == null ? null : uses.stream().map(u -> new UseResponse(u.peerId().toString(), u.usedAt(), u.remoteAddress())).toList(),
                    t.peerLifetime() == null ? null : t.peerLifetime().toString());
        }
    }

    /** One redemption: which peer it registered, when, from where. */
    @Serdeable
    public record UseResponse(String peerId, Instant usedAt, @Nullable String remoteAddress) {
    }

    /** A token just issued: the secret appears here and nowhere else. */
    @Serdeable
    public record IssuedEnrolmentTokenResponse(EnrolmentTokenResponse token, String secret) {
    }

    /** {@code POST /v1/enrol}: what a device sends. */
    @Serdeable
    public record EnrolRequest(@Nullable String token, @Nullable String publicKey, @Nullable String name) {
    }

    private final EnrolmentService enrolment;
    private final AddressWaiters waiters;
    private final Networks networks;
    private final Duration addressWait;

    public EnrolmentController(EnrolmentService enrolment, AddressWaiters waiters, Networks networks,
                               @Value("${wgcp.registry.address-wait:5s}") Duration addressWait) {
        this.enrolment = enrolment;
        this.waiters = waiters;
        this.networks = networks;
        this.addressWait = addressWait;
    }

    @Post("/networks/{network}/enrolment-tokens")
    public HttpResponse<IssuedEnrolmentTokenResponse> create(@PathVariable String network,
                                                             @Body @Nullable CreateEnrolmentTokenRequest request,
                                                             Authentication authentication) {
        Caller caller = Caller.of(authentication);
        caller.requireNetwork(network);
        CreateEnrolmentTokenRequest r = request == null ? new CreateEnrolmentTokenRequest(null, null, null, null, null) : request;
        EnrolmentService.Issued issued = enrolment.create(network, r.name(), r.tags(), r.maxUses(), Durations.parse("ttl", r.ttl()),
                Durations.parse("peerLifetime", r.peerLifetime()), caller.actor());
        return HttpResponse.created(new IssuedEnrolmentTokenResponse(EnrolmentTokenResponse.of(issued.token(), null), issued.secret()),
                URI.create("/v1/enrolment-tokens/" + issued.token().id()));
    }

    @Get("/enrolment-tokens{?network}")
    public List<EnrolmentTokenResponse> list(@Nullable @QueryValue String network, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (caller.networkId() != null) {
            caller.requireNetwork(network == null ? caller.networkId() : network);
            network = caller.networkId();
        } else if (network != null) {
            networks.get(network);
        }
        return enrolment.list(network).stream().map(t -> EnrolmentTokenResponse.of(t, null)).toList();
    }

    @Get("/enrolment-tokens/{id}")
    public EnrolmentTokenResponse get(@PathVariable String id, Authentication authentication) {
        EnrolmentService.Detail d = enrolment.get(PeerController.parseId(id, "enrolment token"));
        Caller.of(authentication).requireNetwork(d.token().networkId());
        return EnrolmentTokenResponse.of(d.token(), d.uses());
    }

    @Delete("/enrolment-tokens/{id}")
    public EnrolmentTokenResponse revoke(@PathVariable String id, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID tokenId = PeerController.parseId(id, "enrolment token");
        caller.requireNetworkOf(() -> enrolment.get(tokenId).token().networkId());
        return EnrolmentTokenResponse.of(enrolment.revoke(tokenId, caller.actor()), null);
    }

    /**
     * A device registers itself with an enrolment token and its public key: 201 with its wg-quick
     * config (202 with a Location when the address takes longer than the wait). No other credential.
     */
    @Post("/enrol")
    public CompletableFuture<HttpResponse<?>> enrol(@Body @Nullable EnrolRequest request, HttpRequest<?> http) {
        if (request == null || request.token() == null) {
            throw new CredentialRefused(AuthFailure.ENROLMENT_MALFORMED, null);
        }
        if (request.publicKey() == null) {
            throw Refusal.invalid("publicKey is missing: expected the output of 'wg pubkey' for the device's key");
        }
        UUID id = UUID.randomUUID();
        waiters.expect(id);
        dev.wgcp.registry.service.PeerService.WithPeerToken registered;
        try {
            registered = enrolment.enrol(request.token(), id, request.publicKey(), request.name(),
                    http.getRemoteAddress() == null ? null : http.getRemoteAddress().getAddress().getHostAddress());
        } catch (RuntimeException e) {
            waiters.forget(id);
            throw e;
        }
        return PeerController.whenAddressed(registered.peer(), waiters, addressWait, networks, null, registered.peerToken());
    }
}
