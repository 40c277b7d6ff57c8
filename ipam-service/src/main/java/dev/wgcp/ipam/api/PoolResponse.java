package dev.wgcp.ipam.api;

import dev.wgcp.ipam.service.PoolService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A pool and its use: {@code size} usable addresses = allocated + reserved + quarantined + free.
 * {@code warning} is true at or above the configured utilisation threshold.
 */
@Serdeable
public record PoolResponse(String name, String network, String cidr, String family, @Nullable String edge, @Nullable String description,
                           long size, long allocated, long reserved, long quarantined, long free, double utilisationPercent,
                           boolean warning, @Nullable Instant nextOutOfQuarantine, Instant createdAt) {

    static PoolResponse of(PoolService.Usage u) {
        var p = u.pool();
        return new PoolResponse(p.name(), p.networkId(), p.cidr().toString(), p.isIpv6() ? "ipv6" : "ipv4", p.edgeId(), p.description(),
                p.size(), u.allocated(), u.reserved(), u.quarantined(), u.free(), Math.round(p.utilisation() * 10000) / 100.0,
                u.warning(), u.nextOutOfQuarantine(), p.createdAt());
    }
}
