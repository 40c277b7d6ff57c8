package dev.wgcp.ipam.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One row of an export or import, in NetBox's IP address columns (address with prefix length,
 * status, tenant, dns_name, description, tags) plus wgcp's own as NetBox custom fields: the peer,
 * the pool, and the end of a reserved range. Status {@code active} is a peer's allocation,
 * {@code reserved} a reservation.
 */
@Serdeable
public record AllocationRecord(
        String address,
        @Nullable String status,
        @Nullable String tenant,
        @Nullable @JsonProperty("dns_name") String dnsName,
        @Nullable String description,
        @Nullable List<String> tags,
        @Nullable @JsonProperty("cf_wgcp_peer_id") String peerId,
        @Nullable @JsonProperty("cf_wgcp_pool") String pool,
        @Nullable @JsonProperty("cf_wgcp_range_end") String rangeEnd) {

    /** The columns of the CSV form, in order. */
    public static final List<String> COLUMNS = List.of("address", "status", "tenant", "dns_name", "description", "tags",
            "cf_wgcp_peer_id", "cf_wgcp_pool", "cf_wgcp_range_end");
}
