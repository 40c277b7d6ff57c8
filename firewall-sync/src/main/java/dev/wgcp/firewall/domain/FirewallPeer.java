package dev.wgcp.firewall.domain;

import java.util.Set;

/** An active peer as the compiler needs it: its tunnel addresses, tags, and current public address (if seen). */
public record FirewallPeer(String peerId, String ipv4Address, String ipv6Address, Set<String> tags, String publicAddress) {

    public FirewallPeer {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }
}
