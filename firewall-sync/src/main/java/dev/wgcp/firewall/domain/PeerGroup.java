package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Peers of a network chosen by tag, by id, or all of them; a peer is in the group when any selector
 * takes it. {@code markBit} (0 to 31) is the conntrack mark bit its members' connections carry.
 */
public record PeerGroup(String networkId, String name, List<String> tags, List<String> peers, boolean allPeers, int markBit) {

    public PeerGroup {
        Names.check("group", name);
        tags = tags == null ? List.of() : List.copyOf(tags);
        peers = peers == null ? List.of() : List.copyOf(peers);
        for (String p : peers) {
            try {
                UUID.fromString(p);
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("group " + name + ": peer '" + p + "' is not a peer id: expected a UUID as the registry gave it");
            }
        }
        if (!allPeers && tags.isEmpty() && peers.isEmpty()) {
            throw Refusal.invalid("group " + name + " selects nobody: expected tags, peers, or allPeers: true");
        }
        if (markBit < 0 || markBit > 31) {
            throw new IllegalArgumentException("mark bit " + markBit + " out of 0..31");
        }
    }

    public boolean contains(String peerId, Set<String> peerTags) {
        return allPeers || peers.contains(peerId) || tags.stream().anyMatch(peerTags::contains);
    }

    /** The conntrack mark value of this group's bit, as nft writes it. */
    public String mark() {
        return String.format("0x%08x", 1L << markBit);
    }
}
