package dev.wgcp.edge.domain;

import java.util.List;

/**
 * A peer as the registry says it must be on this interface: its key, its tunnel addresses as
 * allowed-ips (/32 and /128), its keepalive, and for a site-to-site peer the endpoint to dial
 * ({@code host:port}; the reconciler resolves a name to {@code ip:port} before diffing). A roaming
 * client has no endpoint: it dials in, and WireGuard learns where from its authenticated packets.
 */
public record DesiredPeer(String publicKey, List<String> allowedIps, int persistentKeepalive, String endpoint) {

    public DesiredPeer {
        allowedIps = allowedIps.stream().sorted().toList();
    }

    public DesiredPeer(String publicKey, List<String> allowedIps, int persistentKeepalive) {
        this(publicKey, allowedIps, persistentKeepalive, null);
    }

    public DesiredPeer withEndpoint(String resolved) {
        return new DesiredPeer(publicKey, allowedIps, persistentKeepalive, resolved);
    }
}
