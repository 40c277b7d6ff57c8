package dev.wgcp.registry.api;

import dev.wgcp.registry.domain.ClientConfig;
import dev.wgcp.registry.domain.Network;
import dev.wgcp.registry.domain.Peer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** A peer as the API shows it; {@code config} is the wg-quick client config once the peer has an address. */
@Serdeable
public record PeerResponse(String id, String networkId, String publicKey, @Nullable String name,
                           int persistentKeepalive, String status, @Nullable String ipv4Address,
                           @Nullable String ipv6Address, long revision, Instant createdAt, @Nullable Instant revokedAt,
                           @Nullable String config, List<String> tags) {

    static PeerResponse of(Peer p, @Nullable Network network) {
        String config = network != null && p.hasAddress() && !p.isRevoked() ? ClientConfig.render(p, network) : null;
        return new PeerResponse(p.id().toString(), p.networkId(), p.publicKey().base64(), p.name(),
                p.persistentKeepalive(), p.status().name(), p.ipv4Address(), p.ipv6Address(), p.revision(),
                p.createdAt(), p.revokedAt(), config, p.tags());
    }
}
