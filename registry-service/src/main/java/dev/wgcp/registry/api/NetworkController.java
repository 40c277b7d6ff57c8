package dev.wgcp.registry.api;

import dev.wgcp.registry.domain.Network;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.security.Caller;
import dev.wgcp.registry.service.Networks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.util.List;

/** Networks and the edges that serve them: anyone with a token reads them, admins change them. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class NetworkController {

    /** {@code POST /v1/networks} and {@code PATCH /v1/networks/{name}}. */
    @Serdeable
    public record NetworkRequest(@Nullable String name, @Nullable List<String> routes, @Nullable List<String> dns,
                                 @Nullable Integer persistentKeepalive, @Nullable List<String> pools) {
    }

    /** {@code PUT /v1/edges/{id}}. */
    @Serdeable
    public record EdgeRequest(@Nullable String publicKey, @Nullable String endpoint, @Nullable List<String> networks,
                              @Nullable String signingKey) {
    }

    private final Networks networks;

    public NetworkController(Networks networks) {
        this.networks = networks;
    }

    @Get("/networks")
    public List<NetworkResponse> list(Authentication authentication) {
        String own = Caller.of(authentication).networkId();
        return networks.all().stream().filter(n -> own == null || own.equals(n.name())).map(NetworkResponse::of).toList();
    }

    @Get("/networks/{name}")
    public NetworkResponse get(@PathVariable String name) {
        return NetworkResponse.of(networks.get(name));
    }

    @Post("/networks")
    public HttpResponse<NetworkResponse> create(@Body @Nullable NetworkRequest request, Authentication authentication) {
        if (request == null || request.name() == null) {
            throw Refusal.invalid("expected JSON {\"name\": \"home\", \"routes\": [\"10.100.0.0/24\"], \"dns\": [\"10.100.0.1\"]?, "
                    + "\"persistentKeepalive\": 25?, \"pools\": [\"home-v4\"]?}");
        }
        Network n = networks.create(request.name(), request.routes(), request.dns(), request.persistentKeepalive(), request.pools(),
                Caller.of(authentication).actor());
        return HttpResponse.created(NetworkResponse.of(n), URI.create("/v1/networks/" + n.name()));
    }

    @Patch("/networks/{name}")
    public NetworkResponse update(@PathVariable String name, @Body @Nullable NetworkRequest request, Authentication authentication) {
        if (request == null) {
            throw Refusal.invalid("expected JSON with any of routes, dns, persistentKeepalive, pools");
        }
        if (request.name() != null && !request.name().equals(name)) {
            throw Refusal.invalid("a network's name never changes (peers, pools and configs refer to it)");
        }
        return NetworkResponse.of(networks.update(name, request.routes(), request.dns(), request.persistentKeepalive(),
                request.pools(), Caller.of(authentication).actor()));
    }

    @Get("/edges")
    public List<NetworkResponse.EdgeResponse> edges() {
        return networks.all().stream().flatMap(n -> n.edges().stream()).distinct()
                .map(e -> new NetworkResponse.EdgeResponse(e.id(), e.publicKey(), e.endpoint(), e.signingKey())).toList();
    }

    /** Creates or replaces an edge: the WireGuard server's public key, its public endpoint, the networks it serves. */
    @Put("/edges/{id}")
    public NetworkResponse.EdgeResponse putEdge(@PathVariable String id, @Body @Nullable EdgeRequest request,
                                                Authentication authentication) {
        if (request == null) {
            throw Refusal.invalid("expected JSON {\"publicKey\": \"<the server's wg pubkey>\", \"endpoint\": "
                    + "\"vpn.example.net:51820\", \"networks\": [\"home\"], \"signingKey\": \"<its agent's wgcp keys public>\"?}");
        }
        Network.Edge e = networks.putEdge(id, request.publicKey(), request.endpoint(), request.networks(), request.signingKey(),
                Caller.of(authentication).actor());
        return new NetworkResponse.EdgeResponse(e.id(), e.publicKey(), e.endpoint(), e.signingKey());
    }
}
