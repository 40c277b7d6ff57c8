package dev.wgcp.edge.domain;

import java.util.Set;

/**
 * The ruleset firewall-sync wants on this edge: the nft script replacing the agent's own table, its
 * hash, and the tunnel addresses it lets in.
 */
public record DesiredRuleset(long revision, String table, String script, String sha256, Set<String> allowedAddresses) {

    public DesiredRuleset {
        allowedAddresses = Set.copyOf(allowedAddresses);
    }

    /**
     * A table listing without what changes by itself (packet and byte counters, handles), so two
     * listings are equal exactly when the rules and set elements are.
     */
    public static String normalize(String listing) {
        return listing.replaceAll("counter packets \\d+ bytes \\d+", "counter")
                .replaceAll(" # handle \\d+", "")
                .replaceAll("[ \\t]+\\n", "\n")
                .strip();
    }
}
