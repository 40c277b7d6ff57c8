package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A peer: identity ({@code id}) apart from contents. The tunnel addresses, once assigned, never change
 * for a given id: firewall rules, DNS names and monitoring all key on them. The public key changes only
 * by rotation, which keeps the id and the addresses; there is no other way to change it.
 *
 * @param revision        registry-service's per-peer event revision; grows with every change
 * @param addressRevision revision of the last AddressAssigned applied (ipam-service's counter)
 * @param edgeId          the edge the peer uses: asked for at registration, then the one whose segment ipam-service
 *                        took its addresses from (null: every edge of the network)
 * @param endpoint        host:port the edges dial, for a site-to-site peer (null: a roaming client, which dials in)
 */
public record Peer(UUID id, String networkId, PublicKey publicKey, String name, int persistentKeepalive,
                   PeerStatus status, String ipv4Address, String ipv6Address, long revision, long addressRevision,
                   Instant createdAt, Instant revokedAt, List<String> tags, Instant expiresAt, RevokeReason revokeReason,
                   String addressError, String edgeId, String endpoint) {

    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_TAGS = 16;
    /** The shortest and longest lifetime a peer may be registered with. */
    public static final java.time.Duration MIN_LIFETIME = java.time.Duration.ofSeconds(1);
    public static final java.time.Duration MAX_LIFETIME = java.time.Duration.ofDays(3650);
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,62}");

    public Peer {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static Peer register(UUID id, String networkId, PublicKey key, String name, Integer keepalive,
                                int defaultKeepalive, Instant now) {
        return register(id, networkId, key, name, keepalive, defaultKeepalive, now, List.of(), null);
    }

    /** @param lifetime how long the key may be used (null: until revoked); it is revoked automatically when it ends */
    public static Peer register(UUID id, String networkId, PublicKey key, String name, Integer keepalive,
                                int defaultKeepalive, Instant now, List<String> tags, java.time.Duration lifetime) {
        if (lifetime != null && (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0)) {
            throw Refusal.invalid("lifetime must be at least 1 second and at most 3650 days, got " + lifetime);
        }
        if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
            throw Refusal.invalid("name must be 1 to " + MAX_NAME_LENGTH + " characters, got "
                    + (name.isBlank() ? "a blank name" : name.length() + " characters"));
        }
        int ka = keepalive == null ? defaultKeepalive : keepalive;
        if (ka < 0 || ka > 65535) {
            throw Refusal.invalid("persistentKeepalive must be 0 (off) to 65535 seconds, got " + ka
                    + "; 25 keeps NAT mappings open for peers behind NAT");
        }
        return new Peer(id, networkId, key, name, ka, PeerStatus.ACTIVE, null, null, 1, 0, now, null, validTags(tags),
                lifetime == null ? null : now.plus(lifetime), null, null, null, null);
    }

    /**
     * Tags, sorted and without duplicates: at most {@value #MAX_TAGS}, each 1 to 63 lowercase letters,
     * digits, '.', '_', ':' or '-', starting with a letter or digit.
     */
    public static List<String> validTags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (String t : tags) {
            if (t == null || !TAG.matcher(t).matches()) {
                throw Refusal.invalid("tag '" + t + "' is not valid; expected 1 to 63 lowercase letters, digits, "
                        + "'.', '_', ':' or '-', starting with a letter or digit, e.g. laptop or team:ops");
            }
            out.add(t);
        }
        if (out.size() > MAX_TAGS) {
            throw Refusal.invalid("a peer has at most " + MAX_TAGS + " tags, got " + out.size());
        }
        return List.copyOf(out);
    }

    /**
     * This peer with a new name, tags or keepalive (null: unchanged), one revision later; unchanged
     * (the same instance) when nothing differs. A revoked peer cannot be changed: its key is terminal.
     * Public key and tunnel address have no setter at all: they never change for a peer id.
     */
    public Peer update(String newName, List<String> newTags, Integer newKeepalive) {
        return update(newName, newTags, newKeepalive, null);
    }

    /** As {@link #update(String, List, Integer)}, and the endpoint: null unchanged, blank removed, else host:port. */
    public Peer update(String newName, List<String> newTags, Integer newKeepalive, String newEndpoint) {
        if (isRevoked()) {
            throw Refusal.conflict("peer " + id + " is revoked; a revoked peer cannot be changed");
        }
        String n = newName == null ? name : newName;
        if (newName != null && (newName.isBlank() || newName.length() > MAX_NAME_LENGTH)) {
            throw Refusal.invalid("name must be 1 to " + MAX_NAME_LENGTH + " characters, got "
                    + (newName.isBlank() ? "a blank name" : newName.length() + " characters"));
        }
        List<String> t = newTags == null ? tags : validTags(newTags);
        int ka = newKeepalive == null ? persistentKeepalive : newKeepalive;
        if (ka < 0 || ka > 65535) {
            throw Refusal.invalid("persistentKeepalive must be 0 (off) to 65535 seconds, got " + ka
                    + "; 25 keeps NAT mappings open for peers behind NAT");
        }
        String e = newEndpoint == null ? endpoint : newEndpoint.isBlank() ? null : NetworkSpec.endpoint(newEndpoint);
        if (java.util.Objects.equals(n, name) && t.equals(tags) && ka == persistentKeepalive && java.util.Objects.equals(e, endpoint)) {
            return this;
        }
        return new Peer(id, networkId, publicKey, n, ka, status, ipv4Address, ipv6Address, revision + 1, addressRevision,
                createdAt, revokedAt, t, expiresAt, revokeReason, addressError, edgeId, e);
    }

    public boolean hasAddress() {
        return ipv4Address != null || ipv6Address != null;
    }

    /** Revoked or deleted: the key is terminal either way. */
    public boolean isRevoked() {
        return status != PeerStatus.ACTIVE;
    }

    /** This (revoked) peer deleted, one revision later; deleting a deleted peer changes nothing. */
    public Peer delete() {
        if (status == PeerStatus.DELETED) {
            return this;
        }
        if (status != PeerStatus.REVOKED) {
            throw new IllegalStateException("peer " + id + " must be revoked before it is deleted");
        }
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, PeerStatus.DELETED, ipv4Address, ipv6Address,
                revision + 1, addressRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, addressError, edgeId, endpoint);
    }

    /** This peer revoked by an operator at {@code now}. */
    public Peer revoke(Instant now) {
        return revoke(now, RevokeReason.OPERATOR);
    }

    /** This peer revoked at {@code now} for {@code reason}, one revision later. Revoking a revoked peer changes nothing. */
    public Peer revoke(Instant now, RevokeReason reason) {
        if (isRevoked()) {
            return this;
        }
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, PeerStatus.REVOKED, ipv4Address,
                ipv6Address, revision + 1, addressRevision, createdAt, now, tags, expiresAt, reason, addressError, edgeId, endpoint);
    }

    /** This peer with {@code newKey} in place of its key, one revision later: id, addresses and the rest stay. */
    public Peer rotate(PublicKey newKey) {
        if (isRevoked()) {
            throw Refusal.conflict("peer " + id + " is revoked; a revoked peer's key cannot be rotated");
        }
        if (newKey.equals(publicKey)) {
            throw Refusal.invalid("the new public key is the peer's current key; generate a new key pair "
                    + "with 'wg genkey | wg pubkey'");
        }
        return new Peer(id, networkId, newKey, name, persistentKeepalive, status, ipv4Address, ipv6Address, revision + 1,
                addressRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, addressError, edgeId, endpoint);
    }

    /** This peer one revision later, unchanged otherwise: for an event about it (a retired key revoked). */
    public Peer nextRevision() {
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, status, ipv4Address, ipv6Address, revision + 1,
                addressRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, addressError, edgeId, endpoint);
    }

    /** This peer with the reason it got no address (ipam-service's word); unchanged once it has one. */
    public Peer addressFailed(String error) {
        if (hasAddress()) {
            return this;
        }
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, status, ipv4Address, ipv6Address, revision,
                addressRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, error, edgeId, endpoint);
    }

    /** Whether the key's lifetime has ended at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * This peer with the addresses of an AddressAssigned at {@code eventRevision}; unchanged when that
     * revision was applied already (redelivery) or is older.
     */
    public Peer assignAddress(String ipv4, String ipv6, long eventRevision) {
        return assignAddress(ipv4, ipv6, edgeId, eventRevision);
    }

    /** As {@link #assignAddress(String, String, long)}, from the segment of {@code edge} (null: shared by every edge). */
    public Peer assignAddress(String ipv4, String ipv6, String edge, long eventRevision) {
        if (eventRevision <= addressRevision) {
            return this;
        }
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, status, ipv4, ipv6, revision,
                eventRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, null, edge, endpoint);
    }

    /** This peer, dialled by the edges at {@code host:port} (null: a roaming client); checked. */
    public Peer atEndpoint(String hostPort) {
        String e = hostPort == null || hostPort.isBlank() ? null : NetworkSpec.endpoint(hostPort);
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, status, ipv4Address, ipv6Address, revision,
                addressRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, addressError, edgeId, e);
    }

    /** This peer, registered to use {@code edge} (null: any). */
    public Peer onEdge(String edge) {
        return new Peer(id, networkId, publicKey, name, persistentKeepalive, status, ipv4Address, ipv6Address, revision,
                addressRevision, createdAt, revokedAt, tags, expiresAt, revokeReason, addressError, edge, endpoint);
    }
}
