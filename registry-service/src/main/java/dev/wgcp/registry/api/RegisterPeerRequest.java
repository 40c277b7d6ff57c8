package dev.wgcp.registry.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Body of POST /v1/networks/{network}/peers. */
@Serdeable
public record RegisterPeerRequest(@Nullable String publicKey, @Nullable String name, @Nullable Integer persistentKeepalive,
                                  @Nullable java.util.List<String> tags, @Nullable Boolean generateKey,
                                  @Nullable String lifetime) {
}
