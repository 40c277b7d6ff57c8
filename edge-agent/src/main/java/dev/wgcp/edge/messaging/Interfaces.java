package dev.wgcp.edge.messaging;

import java.util.List;

/** The interfaces of this edge, in configuration order. */
public record Interfaces(List<EdgeInterface> all) {

    public Interfaces {
        all = List.copyOf(all);
    }

    /** The first interface: the only one in a one-interface configuration. */
    public EdgeInterface first() {
        return all.get(0);
    }
}
