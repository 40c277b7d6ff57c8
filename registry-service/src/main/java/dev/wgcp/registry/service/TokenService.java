package dev.wgcp.registry.service;

import dev.wgcp.registry.service.Networks;
import dev.wgcp.kit.domain.ApiScope;
import dev.wgcp.registry.domain.ApiToken;
import dev.wgcp.kit.domain.AuthFailure;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.registry.domain.TokenSecret;
import dev.wgcp.registry.persistence.TokenStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** API tokens: issue (the secret is returned once), list, revoke, and check a presented secret. */
@Singleton
public class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    static final String BOOTSTRAP_NAME = "bootstrap-admin";

    /** A token just created, with its secret: the only time the secret is known to anyone but its holder. */
    public record Issued(ApiToken token, String secret) {
    }

    /** The outcome of checking a presented secret: the token, or why it is refused. */
    public record Check(ApiToken token, AuthFailure failure) {
        public boolean valid() {
            return failure == null;
        }
    }

    private final TokenStore store;
    private final Networks networks;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    /**
     * Tokens found recently, by secret hash: every request presents a token, and reading it from the
     * database each time cost the registry a third more CPU per registration. A revocation clears the
     * cache of the instance that made it at once; other instances see it within the TTL.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();
    private final long cacheTtlNanos;
    private static final int CACHE_LIMIT = 10_000;

    private record Cached(ApiToken token, long atNanos) {
    }

    private final ConfigEvents events;

    private final dev.wgcp.kit.persistence.StartupLock startupLock;

    public TokenService(TokenStore store, Networks networks, ConfigEvents events,
                        @io.micronaut.context.annotation.Value("${wgcp.registry.token-cache-ttl:1s}") java.time.Duration cacheTtl,
                        dev.wgcp.kit.persistence.StartupLock startupLock) {
        this.startupLock = startupLock;
        this.store = store;
        this.networks = networks;
        this.events = events;
        this.cacheTtlNanos = cacheTtl.toNanos();
    }

    @Transactional
    public Issued create(String name, ApiScope scope, String networkId, Instant expiresAt, String createdBy) {
        if (networkId != null) {
            networks.get(networkId);
        }
        ApiToken token = ApiToken.create(UUID.randomUUID(), name, scope, networkId, Instant.now(clock), createdBy, expiresAt);
        if (store.findByName(name).isPresent()) {
            throw Refusal.conflict("a token named '" + name + "' exists already (names are never reused, "
                    + "revoked tokens included); choose another name");
        }
        String secret = TokenSecret.API.generate(random);
        store.insert(token, TokenSecret.hash(secret));
        events.apiToken(token, dev.wgcp.events.v1.CredentialAction.ISSUED, createdBy);
        LOG.info("API token {} ({}) created by {}", name, scope.label() + (networkId == null ? "" : " of network " + networkId), createdBy);
        return new Issued(token, secret);
    }

    @Transactional(readOnly = true)
    public List<ApiToken> list() {
        return store.list();
    }

    @Transactional(readOnly = true)
    public ApiToken get(UUID id) {
        return store.findById(id).orElseThrow(() -> Refusal.notFound("token " + id + " does not exist"));
    }

    /** Revokes the token; revoking a revoked token changes nothing. Takes effect with the next request. */
    @Transactional
    public ApiToken revoke(UUID id, String actor) {
        ApiToken token = get(id);
        if (!token.isRevoked()) {
            store.revoke(id, Instant.now(clock));
            events.apiToken(token, dev.wgcp.events.v1.CredentialAction.REVOKED, actor);
            LOG.info("API token {} revoked by {}", token.name(), actor);
        }
        recent.clear();
        return get(id);
    }

    /** Checks a presented secret; never logs it. */
    @Transactional(readOnly = true)
    public Check check(String secret) {
        if (!TokenSecret.API.wellFormed(secret)) {
            return new Check(null, AuthFailure.MALFORMED);
        }
        String hash = TokenSecret.hash(secret);
        long now = System.nanoTime();
        Cached cached = recent.get(hash);
        ApiToken token;
        if (cached != null && now - cached.atNanos() < cacheTtlNanos) {
            token = cached.token();
        } else {
            Optional<ApiToken> found = store.findBySecretHash(hash);
            if (found.isEmpty()) {
                return new Check(null, AuthFailure.UNKNOWN);
            }
            token = found.get();
            if (recent.size() >= CACHE_LIMIT) {
                recent.clear();
            }
            recent.put(hash, new Cached(token, now));
        }
        if (token.isRevoked()) {
            return new Check(token, AuthFailure.REVOKED);
        }
        if (token.isExpired(Instant.now(clock))) {
            return new Check(token, AuthFailure.EXPIRED);
        }
        return new Check(token, null);
    }

    /**
     * Makes sure an admin token exists for a fresh installation: the token in {@code file} when the
     * file exists (registered once, never re-activated after a revocation), else a new one written to
     * {@code file} readable by its owner only. The secret is never logged.
     */
    @Transactional
    public void bootstrap(Path file) {
        startupLock.hold("registry-bootstrap-token"); // instances starting together take turns: one writes the file, the next reads it
        try {
            String secret;
            if (Files.exists(file)) {
                secret = Files.readString(file).strip();
                if (!TokenSecret.API.wellFormed(secret)) {
                    throw new IllegalStateException("bootstrap token file " + file + " does not hold a wgcp token "
                            + "(wgcp_ and 43 characters); delete it and restart to have a new one written");
                }
            } else {
                secret = TokenSecret.API.generate(random);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, secret + "\n");
                LOG.info("bootstrap admin token written to {}", file);
            }
            Optional<ApiToken> known = store.findBySecretHash(TokenSecret.hash(secret));
            if (known.isPresent()) {
                if (known.get().isRevoked()) {
                    LOG.warn("the bootstrap admin token in {} was revoked and stays revoked; delete the file and restart "
                            + "for a new one", file);
                }
                return;
            }
            String name = BOOTSTRAP_NAME;
            for (int i = 2; store.findByName(name).isPresent(); i++) {
                name = BOOTSTRAP_NAME + "-" + i;
            }
            ApiToken bootstrap = ApiToken.create(UUID.randomUUID(), name, ApiScope.ADMIN, null, Instant.now(clock), "registry-service", null);
            store.insert(bootstrap, TokenSecret.hash(secret));
            events.apiToken(bootstrap, dev.wgcp.events.v1.CredentialAction.ISSUED, "registry-service");
            LOG.info("bootstrap admin token {} from {} is active", name, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the bootstrap token file " + file + ": " + e.getMessage(), e);
        }
    }
}
