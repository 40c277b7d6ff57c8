package dev.wgcp.registry.api;

import dev.wgcp.registry.domain.Network;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

@Serdeable
public record NetworkResponse(String name, List<String> routes, List<String> dns, int persistentKeepalive,
                              List<EdgeResponse> edges, List<String> pools) {

    @Serdeable
    public record EdgeResponse(String id, String publicKey, String endpoint, @io.micronaut.core.annotation.Nullable String signingKey) {
    }

    static NetworkResponse of(Network n) {
        return new NetworkResponse(n.name(), n.routes(), n.dns(), n.persistentKeepalive(),
                n.edges().stream().map(e -> new EdgeResponse(e.id(), e.publicKey(), e.endpoint(), e.signingKey())).toList(), n.pools());
    }
}
