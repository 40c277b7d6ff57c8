package dev.wgcp.edge.domain;

import java.util.List;

/**
 * A peer as the registry says it must be on this interface: its key, its tunnel addresses as
 * allowed-ips (/32 and /128), and its keepalive. No endpoint: roaming clients dial in, and WireGuard
 * learns their current endpoint from their authenticated packets.
 */
public record DesiredPeer(String publicKey, List<String> allowedIps, int persistentKeepalive) {

    public DesiredPeer {
        allowedIps = allowedIps.stream().sorted().toList();
    }
}
