package dev.wgcp.edge.domain;

import java.util.List;

/** A peer as {@code wg show <if> dump} reports it. */
public record LivePeer(String publicKey, String endpoint, List<String> allowedIps, long latestHandshakeEpochSeconds,
                       long rxBytes, long txBytes, int persistentKeepalive) {

    public LivePeer {
        allowedIps = allowedIps.stream().sorted().toList();
    }
}
