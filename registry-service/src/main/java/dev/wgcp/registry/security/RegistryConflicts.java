package dev.wgcp.registry.security;

import dev.wgcp.kit.api.ErrorHandlers;
import jakarta.inject.Singleton;
import java.util.Optional;

/** A unique violation that slipped past the registry's checks: two registrations of one key at the same instant. */
@Singleton
class RegistryConflicts implements ErrorHandlers.DatabaseConflicts {
    @Override
    public Optional<String> message(String sqlState) {
        return "23505".equals(sqlState) ? Optional.of("this public key is already registered; each device needs its own key pair")
                : Optional.empty();
    }
}
