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
                           @Nullable String config, List<String> tags, @Nullable String privateKey,
                           @Nullable String configQrPng, @Nullable Instant expiresAt, @Nullable String revokeReason) {

    static PeerResponse of(Peer p, @Nullable Network network) {
        String config = network != null && p.hasAddress() && !p.isRevoked() ? ClientConfig.render(p, network) : null;
        return new PeerResponse(p.id().toString(), p.networkId(), p.publicKey().base64(), p.name(),
                p.persistentKeepalive(), p.status().name(), p.ipv4Address(), p.ipv6Address(), p.revision(),
                p.createdAt(), p.revokedAt(), config, p.tags(), null, null, p.expiresAt(),
                p.revokeReason() == null ? null : p.revokeReason().name());
    }

    /**
     * A peer whose key pair the registry made: the private key, the complete config and its QR code
     * (base64 PNG) are in this answer and nowhere else, ever.
     */
    static PeerResponse withGeneratedKey(Peer p, @Nullable Network network, String privateKey) {
        String config = network != null && p.hasAddress() && !p.isRevoked() ? ClientConfig.render(p, network, privateKey) : null;
        return new PeerResponse(p.id().toString(), p.networkId(), p.publicKey().base64(), p.name(),
                p.persistentKeepalive(), p.status().name(), p.ipv4Address(), p.ipv6Address(), p.revision(),
                p.createdAt(), p.revokedAt(), config, p.tags(), privateKey,
                config == null ? null : java.util.Base64.getEncoder().encodeToString(QrCode.png(config)), p.expiresAt(), null);
    }
}
