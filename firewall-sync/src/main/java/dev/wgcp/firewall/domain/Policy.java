package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import java.util.List;

/**
 * What one group may reach through an edge: another group's tunnel addresses, or networks behind
 * the edge (CIDRs), on a protocol and ports. Everything else between peers is dropped (default deny
 * inside a network). {@code edges} empty: on every edge of the network; else only on those.
 */
public record Policy(String networkId, String name, String from, String toGroup, List<String> toCidrs, Protocol protocol,
                     List<String> ports, List<String> edges) {

    public Policy {
        Names.check("policy", name);
        if (from == null || from.isBlank()) {
            throw Refusal.invalid("policy " + name + ": from is missing: expected the group whose peers may open the connections");
        }
        Names.check("group", from);
        toCidrs = toCidrs == null ? List.of() : toCidrs.stream().map(Cidrs::check).toList();
        if (toGroup != null) {
            Names.check("group", toGroup);
        }
        if ((toGroup == null) == toCidrs.isEmpty()) {
            throw Refusal.invalid("policy " + name + ": expected exactly one destination, toGroup (a group's peers) or toCidrs"
                    + " (networks behind the edge, e.g. [\"10.20.0.0/16\"])");
        }
        protocol = protocol == null ? Protocol.ANY : protocol;
        ports = Ports.check(protocol, ports);
        edges = edges == null ? List.of() : List.copyOf(edges);
    }

    public boolean appliesOn(String edgeId) {
        return edges.isEmpty() || edges.contains(edgeId);
    }
}
