package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.domain.AuthFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A short-lived credential with which a device registers itself in one network, with the token's
 * tags, up to {@code maxUses} times. Only the hash of its secret is stored.
 */
public record EnrolmentToken(UUID id, String name, String networkId, List<String> tags, int maxUses, int uses,
                             Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt, Duration peerLifetime) {

    /** How long a token lives when the request does not say. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The longest a token may live: enrolment tokens are for enrolling now, not for keeping. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    public static final int MAX_USES = 10_000;

    public EnrolmentToken {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** @param peerLifetime the lifetime of the keys of peers enrolled with it (null: until revoked), e.g. for phones */
    public static EnrolmentToken create(UUID id, String name, String networkId, List<String> tags, Integer maxUses,
                                        Duration ttl, Instant now, String createdBy, Duration peerLifetime) {
        if (name != null && (name.isBlank() || name.length() > 64)) {
            throw Refusal.invalid("name must be 1 to 64 characters when given, got "
                    + (name.isBlank() ? "a blank name" : name.length() + " characters"));
        }
        int uses = maxUses == null ? 1 : maxUses;
        if (uses < 1 || uses > MAX_USES) {
            throw Refusal.invalid("maxUses must be 1 to " + MAX_USES + ", got " + uses);
        }
        Duration life = ttl == null ? DEFAULT_TTL : ttl;
        if (life.isNegative() || life.isZero() || life.compareTo(MAX_TTL) > 0) {
            throw Refusal.invalid("ttl must be more than 0 and at most " + MAX_TTL.toDays() + " days, got " + life);
        }
        if (peerLifetime != null && (peerLifetime.compareTo(Peer.MIN_LIFETIME) < 0 || peerLifetime.compareTo(Peer.MAX_LIFETIME) > 0)) {
            throw Refusal.invalid("peerLifetime must be at least 1 second and at most 3650 days, got " + peerLifetime);
        }
        return new EnrolmentToken(id, name, networkId, Peer.validTags(tags), uses, 0, now, createdBy, now.plus(life), null,
                peerLifetime);
    }

    /** Why this token cannot be used now, or null when it can. */
    public AuthFailure unusable(Instant now) {
        if (revokedAt != null) {
            return AuthFailure.ENROLMENT_REVOKED;
        }
        if (!now.isBefore(expiresAt)) {
            return AuthFailure.ENROLMENT_EXPIRED;
        }
        if (uses >= maxUses) {
            return AuthFailure.ENROLMENT_USED;
        }
        return null;
    }

    /** The actor recorded in events for peers registered with this token. */
    public String actor() {
        return "enrolment:" + (name == null ? id.toString() : name + "/" + id);
    }
}
