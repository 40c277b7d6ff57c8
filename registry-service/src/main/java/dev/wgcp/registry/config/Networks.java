package dev.wgcp.registry.config;

import dev.wgcp.registry.domain.Network;
import dev.wgcp.registry.domain.PublicKey;
import dev.wgcp.registry.domain.RegistryException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The networks this registry serves, from configuration, checked once at start. */
@Singleton
public class Networks {

    private final Map<String, Network> byName = new TreeMap<>();

    public Networks(List<NetworkProperties> networks, List<EdgeProperties> edges) {
        for (NetworkProperties n : networks) {
            List<Network.Edge> served = new ArrayList<>();
            for (EdgeProperties e : edges) {
                if (e.getNetworks().contains(n.getName())) {
                    if (e.getPublicKey() == null || e.getEndpoint() == null) {
                        throw new IllegalStateException("wgcp.edges." + e.getId()
                                + " needs public-key and endpoint (host:port, a DNS name where the server's IP is dynamic)");
                    }
                    try {
                        PublicKey.parse(e.getPublicKey());
                    } catch (RegistryException ex) {
                        throw new IllegalStateException("wgcp.edges." + e.getId() + ".public-key: " + ex.getMessage());
                    }
                    served.add(new Network.Edge(e.getId(), e.getPublicKey(), e.getEndpoint()));
                }
            }
            if (n.getRoutes().isEmpty()) {
                throw new IllegalStateException("wgcp.networks." + n.getName()
                        + ".routes is empty: expected the CIDRs clients route into the tunnel, e.g. [10.100.0.0/24]");
            }
            byName.put(n.getName(), new Network(n.getName(), List.copyOf(n.getRoutes()), List.copyOf(n.getDns()),
                    n.getPersistentKeepalive(), List.copyOf(served)));
        }
    }

    public Network get(String name) {
        Network network = byName.get(name);
        if (network == null) {
            throw RegistryException.notFound("network '" + name + "' does not exist; known networks: " + byName.keySet());
        }
        return network;
    }

    public List<Network> all() {
        return List.copyOf(byName.values());
    }
}
