package dev.wgcp.firewall.domain;

import java.util.Comparator;
import java.util.List;

/** An edge as firewall-sync needs it: its WireGuard interfaces, each serving one network. */
public record EdgeSpec(String edgeId, List<Interface> interfaces) {

    /** One WireGuard interface of the edge and the network it serves. */
    public record Interface(String name, String networkId) {

        public Interface {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}")) {
                throw new IllegalArgumentException("interface name '" + name
                        + "' is not a Linux interface name (1 to 15 of A-Z a-z 0-9 _ . -)");
            }
            if (networkId == null || networkId.isBlank()) {
                throw new IllegalArgumentException("interface " + name + " serves no network: expected the network's name");
            }
        }
    }

    public EdgeSpec {
        if (interfaces == null || interfaces.isEmpty()) {
            throw new IllegalArgumentException("edge " + edgeId + " has no interface: expected at least one, with its network");
        }
        interfaces = interfaces.stream().sorted(Comparator.comparing(Interface::name)).toList();
        if (interfaces.stream().map(Interface::name).distinct().count() != interfaces.size()) {
            throw new IllegalArgumentException("edge " + edgeId + " names an interface twice");
        }
    }

    /** An edge with one interface. */
    public EdgeSpec(String edgeId, String networkId, String interfaceName) {
        this(edgeId, List.of(new Interface(interfaceName, networkId)));
    }
}
