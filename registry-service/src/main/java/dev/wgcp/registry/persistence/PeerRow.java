package dev.wgcp.registry.persistence;

import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** Table {@code peer}. */
@MappedEntity("peer")
public record PeerRow(
        @Id UUID id,
        String networkId,
        String publicKey,
        @Nullable String name,
        int persistentKeepalive,
        String status,
        @Nullable String ipv4Address,
        @Nullable String ipv6Address,
        long revision,
        long addressRevision,
        Instant createdAt,
        @Nullable Instant revokedAt,
        @TypeDef(type = DataType.STRING_ARRAY) String[] tags,
        @Nullable Instant expiresAt,
        @Nullable String revokeReason,
        @Nullable String addressError,
        @Nullable String edgeId,
        @Nullable String endpoint) {
}
