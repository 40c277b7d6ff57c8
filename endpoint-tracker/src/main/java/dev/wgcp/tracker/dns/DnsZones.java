package dev.wgcp.tracker.dns;

import dev.wgcp.tracker.config.DnsZoneProperties;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configured DDNS zones, checked at start (a bad zone stops the service with what is wrong). */
@Singleton
public class DnsZones {

    private static final Logger LOG = LoggerFactory.getLogger(DnsZones.class);

    private final List<DnsZone> zones;

    public DnsZones(List<DnsZoneProperties> configured) {
        this.zones = configured.stream().map(DnsZone::of).sorted(Comparator.comparing(DnsZone::key)).toList();
        for (DnsZone z : zones) {
            LOG.info("DDNS zone {}: {}, peers of networks {}", z.key(), z, z.networks());
        }
    }

    public List<DnsZone> all() {
        return zones;
    }

    public Optional<DnsZone> byKey(String key) {
        return zones.stream().filter(z -> z.key().equals(key)).findFirst();
    }

    /** The zone that peers of {@code networkId} get their names in. */
    public Optional<DnsZone> forNetwork(String networkId) {
        return zones.stream().filter(z -> z.networks().contains(networkId)).findFirst();
    }

    /** The innermost zone containing {@code name}. */
    public Optional<DnsZone> containing(String name) {
        return zones.stream().filter(z -> DnsNames.within(name, z.zone().toString()))
                .max(Comparator.comparingInt(z -> z.zone().labels()));
    }
}
