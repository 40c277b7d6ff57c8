package dev.wgcp.firewall.domain;

import java.util.List;
import java.util.Optional;

/** A network's groups, policies and allow-lists. */
public record PolicySet(List<PeerGroup> groups, List<Policy> policies, List<AllowList> allowLists) {

    public static final PolicySet EMPTY = new PolicySet(List.of(), List.of(), List.of());

    public PolicySet {
        groups = List.copyOf(groups);
        policies = List.copyOf(policies);
        allowLists = List.copyOf(allowLists);
    }

    public Optional<PeerGroup> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }
}
