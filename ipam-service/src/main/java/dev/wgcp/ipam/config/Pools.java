package dev.wgcp.ipam.config;

import dev.wgcp.ipam.domain.Cidr;
import dev.wgcp.ipam.domain.Pool;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The configured pools, checked at start: valid prefixes, one IPv4 and at most one IPv6 pool per network. */
@Singleton
public class Pools {

    private final Map<String, List<Pool>> byNetwork = new TreeMap<>();

    public Pools(List<PoolProperties> properties) {
        for (PoolProperties p : properties) {
            if (p.getNetwork() == null || p.getCidr() == null) {
                throw new IllegalStateException("wgcp.pools." + p.getName() + " needs network and cidr, e.g. network: home, cidr: 10.100.0.0/24");
            }
            Pool pool;
            try {
                pool = new Pool(p.getName(), p.getNetwork(), Cidr.parse(p.getCidr()), p.getReserved());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("wgcp.pools." + p.getName() + ": " + e.getMessage(), e);
            }
            List<Pool> pools = byNetwork.computeIfAbsent(p.getNetwork(), n -> new ArrayList<>());
            for (Pool other : pools) {
                if (other.cidr().isIpv6() == pool.cidr().isIpv6()) {
                    throw new IllegalStateException("network " + p.getNetwork() + " has two " + (pool.cidr().isIpv6() ? "IPv6" : "IPv4")
                            + " pools (" + other.name() + ", " + pool.name() + "); one of each family is supported");
                }
            }
            pools.add(pool);
        }
    }

    public List<Pool> forNetwork(String networkId) {
        return byNetwork.getOrDefault(networkId, List.of());
    }
}
