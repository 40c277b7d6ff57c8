package dev.wgcp.registry.security;

import dev.wgcp.registry.service.TokenService;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin token of an installation: with {@code wgcp.registry.bootstrap-token-file} set, the
 * registry activates the token in that file at start, or writes a new one there (mode 0600). Without
 * it, tokens can only come from an admin token that exists already.
 */
@Singleton
public class BootstrapToken {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapToken.class);

    private final TokenService tokens;
    private final Optional<String> file;

    public BootstrapToken(TokenService tokens, @Value("${wgcp.registry.bootstrap-token-file:}") Optional<String> file) {
        this.tokens = tokens;
        this.file = file.filter(f -> !f.isBlank());
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (file.isPresent()) {
            tokens.bootstrap(Path.of(file.get()));
        } else if (tokens.list().stream().noneMatch(t -> !t.isRevoked())) {
            LOG.warn("no API token exists, so nobody can use the API: set wgcp.registry.bootstrap-token-file "
                    + "(REGISTRY_BOOTSTRAP_TOKEN_FILE) to have an admin token written there");
        }
    }
}
