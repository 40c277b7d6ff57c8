package dev.wgcp.registry.api;

import dev.wgcp.registry.domain.ClientConfig;
import dev.wgcp.registry.domain.Network;
import dev.wgcp.registry.domain.Peer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A peer as the API shows it; {@code config} is the wg-quick client config once the peer has an
 * address. {@code privateKey} (a key pair the registry made), {@code configQrPng} (then the complete
 * config as a QR code) and {@code peerToken} (the device's credential for rotating its key) appear in
 * the answer to a registration or rotation only, once: the registry keeps none of them. {@code edge}
 * is the edge the peer uses when its network's pools are segmented per edge (null: every edge).
 */
@Serdeable
public record PeerResponse(String id, String networkId, String publicKey, @Nullable String name,
                           int persistentKeepalive, String status, @Nullable String ipv4Address,
                           @Nullable String ipv6Address, long revision, Instant createdAt, @Nullable Instant revokedAt,
                           @Nullable String config, List<String> tags, @Nullable String privateKey,
                           @Nullable String configQrPng, @Nullable Instant expiresAt, @Nullable String revokeReason,
                           @Nullable String peerToken, @Nullable String addressError, @Nullable String edge,
                           @Nullable String endpoint) {

    static PeerResponse of(Peer p, @Nullable Network network) {
        return withSecrets(p, network, null, null);
    }

    static PeerResponse withSecrets(Peer p, @Nullable Network network, @Nullable String privateKey, @Nullable String peerToken) {
        String config = network != null && p.hasAddress() && !p.isRevoked() ? ClientConfig.render(p, network, privateKey) : null;
        String qr = privateKey != null && config != null ? Base64.getEncoder().encodeToString(QrCode.png(config)) : null;
        return new PeerResponse(p.id().toString(), p.networkId(), p.publicKey().base64(), p.name(),
                p.persistentKeepalive(), p.status().name(), p.ipv4Address(), p.ipv6Address(), p.revision(),
                p.createdAt(), p.revokedAt(), config, p.tags(), privateKey, qr, p.expiresAt(),
                p.revokeReason() == null ? null : p.revokeReason().name(), peerToken, p.addressError(), p.edgeId(), p.endpoint());
    }
}
