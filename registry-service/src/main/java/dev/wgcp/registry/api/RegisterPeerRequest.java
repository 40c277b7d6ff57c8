package dev.wgcp.registry.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of POST /v1/networks/{network}/peers. {@code edge}: the edge the peer is to use, in a network
 * whose address pools are segmented per edge (null: ipam-service picks the roomiest segment).
 * {@code endpoint}: host:port the edges dial, for a site-to-site peer with a stable name or address.
 */
@Serdeable
public record RegisterPeerRequest(@Nullable String publicKey, @Nullable String name, @Nullable Integer persistentKeepalive,
                                  @Nullable java.util.List<String> tags, @Nullable Boolean generateKey,
                                  @Nullable String lifetime, @Nullable String edge, @Nullable String endpoint) {
}
