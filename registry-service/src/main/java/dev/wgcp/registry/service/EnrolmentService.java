package dev.wgcp.registry.service;

import dev.wgcp.registry.service.Networks;
import dev.wgcp.kit.domain.AuthFailure;
import dev.wgcp.kit.domain.CredentialRefused;
import dev.wgcp.registry.domain.EnrolmentToken;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.registry.domain.TokenSecret;
import dev.wgcp.registry.persistence.EnrolmentStore;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolment tokens: an operator issues one for a network and tags; a device redeems it with its
 * public key and nothing else. A redemption locks the token's row, checks it, registers the peer and
 * counts the use in one transaction, so a token is never used more often than it allows, and a
 * redemption that fails (a duplicate key) uses nothing up.
 */
@Singleton
public class EnrolmentService {

    private static final Logger LOG = LoggerFactory.getLogger(EnrolmentService.class);

    /** A token just issued, with its secret: shown this once. */
    public record Issued(EnrolmentToken token, String secret) {
    }

    /** A token with its uses. */
    public record Detail(EnrolmentToken token, List<EnrolmentStore.Use> uses) {
    }

    private final EnrolmentStore store;
    private final PeerService peers;
    private final Networks networks;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    private final ConfigEvents events;

    public EnrolmentService(EnrolmentStore store, PeerService peers, Networks networks, ConfigEvents events) {
        this.events = events;
        this.store = store;
        this.peers = peers;
        this.networks = networks;
    }

    @Transactional
    public Issued create(String networkId, String name, List<String> tags, Integer maxUses, Duration ttl, Duration peerLifetime,
                         String createdBy) {
        networks.get(networkId);
        EnrolmentToken token = EnrolmentToken.create(UUID.randomUUID(), name, networkId, tags, maxUses, ttl, Instant.now(clock),
                createdBy, peerLifetime);
        String secret = TokenSecret.ENROLMENT.generate(random);
        store.insert(token, TokenSecret.hash(secret));
        events.enrolmentToken(token, dev.wgcp.events.v1.CredentialAction.ISSUED, createdBy);
        LOG.info("enrolment token {} for network {} ({} uses, tags {}, expires {}) created by {}", token.id(), networkId,
                token.maxUses(), token.tags(), token.expiresAt(), createdBy);
        return new Issued(token, secret);
    }

    @Transactional(readOnly = true)
    public List<EnrolmentToken> list(String networkId) {
        return store.list(networkId);
    }

    @Transactional(readOnly = true)
    public Detail get(UUID id) {
        EnrolmentToken token = store.findById(id).orElseThrow(() -> Refusal.notFound("enrolment token " + id + " does not exist"));
        return new Detail(token, store.uses(id));
    }

    @Transactional
    public EnrolmentToken revoke(UUID id, String actor) {
        EnrolmentToken token = get(id).token();
        if (token.revokedAt() == null) {
            store.revoke(id, Instant.now(clock));
            events.enrolmentToken(token, dev.wgcp.events.v1.CredentialAction.REVOKED, actor);
            LOG.info("enrolment token {} revoked by {}", id, actor);
        }
        return get(id).token();
    }

    /**
     * Registers a device's peer with the token's network and tags. Refused (nothing registered,
     * nothing used up) when the token is malformed, unknown, revoked, expired or used up.
     */
    @Transactional
    public PeerService.WithPeerToken enrol(String secret, UUID peerId, String publicKey, String name, String remoteAddress) {
        if (!TokenSecret.ENROLMENT.wellFormed(secret)) {
            throw new CredentialRefused(AuthFailure.ENROLMENT_MALFORMED, null);
        }
        EnrolmentToken token = store.findBySecretHashForUpdate(TokenSecret.hash(secret))
                .orElseThrow(() -> new CredentialRefused(AuthFailure.ENROLMENT_UNKNOWN, null));
        Instant now = Instant.now(clock);
        AuthFailure unusable = token.unusable(now);
        if (unusable != null) {
            throw new CredentialRefused(unusable, switch (unusable) {
                case ENROLMENT_EXPIRED -> "expired at " + token.expiresAt();
                case ENROLMENT_USED -> "used " + token.uses() + " of " + token.maxUses() + " times";
                default -> null;
            });
        }
        PeerService.WithPeerToken registered = peers.registerWithPeerToken(peerId, token.networkId(), publicKey, name, null,
                token.tags(), token.peerLifetime(), null, null, token.actor());
        store.recordUse(token.id(), peerId, now, remoteAddress);
        return registered;
    }
}
