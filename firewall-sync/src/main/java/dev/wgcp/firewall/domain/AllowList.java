package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import java.util.List;

/**
 * An external-IP allow-list: a protocol and ports on the edge itself (a management port, say) open
 * only to the current public endpoints of a group's peers, kept current as they roam, and closed to
 * everyone else. Applies to traffic that does not come through the tunnel.
 */
public record AllowList(String networkId, String name, String group, Protocol protocol, List<String> ports, List<String> edges) {

    public AllowList {
        Names.check("allow-list", name);
        if (group == null || group.isBlank()) {
            throw Refusal.invalid("allow-list " + name + ": group is missing: expected the group whose public addresses may reach the ports");
        }
        Names.check("group", group);
        if (protocol == null || !protocol.hasPorts()) {
            throw Refusal.invalid("allow-list " + name + ": expected protocol tcp or udp (an allow-list opens ports)");
        }
        if (ports == null || ports.isEmpty()) {
            throw Refusal.invalid("allow-list " + name + ": expected ports, e.g. [\"22\"]");
        }
        ports = Ports.check(protocol, ports);
        edges = edges == null ? List.of() : List.copyOf(edges);
    }

    public boolean appliesOn(String edgeId) {
        return edges.isEmpty() || edges.contains(edgeId);
    }
}
