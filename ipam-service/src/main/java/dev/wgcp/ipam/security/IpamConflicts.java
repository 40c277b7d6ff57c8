package dev.wgcp.ipam.security;

import dev.wgcp.kit.api.ErrorHandlers;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Constraint violations that slipped past ipam's checks: two requests at the same instant. */
@Singleton
class IpamConflicts implements ErrorHandlers.DatabaseConflicts {
    @Override
    public Optional<String> message(String sqlState) {
        return switch (sqlState) {
            case "23P01" -> Optional.of("the change overlaps a pool or reservation made at the same time;"
                    + " list them (GET /v1/pools) and pick a range outside them");
            case "23505" -> Optional.of("the same pool, address or allocation was created at the same time; read it back and retry if needed");
            default -> Optional.empty();
        };
    }
}
