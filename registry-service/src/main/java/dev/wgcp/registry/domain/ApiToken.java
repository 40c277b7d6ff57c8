package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.kit.domain.ApiScope;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An API token as stored: who it is (name), what it may do (scope, optionally one network), and its
 * life. The secret itself is not part of it: only its hash is kept.
 */
public record ApiToken(UUID id, String name, ApiScope scope, String networkId, Instant createdAt, String createdBy,
                       Instant expiresAt, Instant revokedAt) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** A new token; the name must be 1 to 63 lowercase letters, digits, '.', '_' or '-'. */
    public static ApiToken create(UUID id, String name, ApiScope scope, String networkId, Instant now, String createdBy,
                                  Instant expiresAt) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Refusal.invalid("token name '" + name + "' is not valid; expected 1 to 63 lowercase letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit, e.g. ci-deploy");
        }
        if (networkId != null && scope != ApiScope.OPERATOR) {
            throw Refusal.invalid("only operator tokens are scoped to a network; a " + scope.label()
                    + " token applies to every network, so leave 'network' out");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw Refusal.invalid("expiresAt " + expiresAt + " is not in the future");
        }
        return new ApiToken(id, name, scope, networkId, now, createdBy, expiresAt, null);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The actor recorded in events for changes made with this token. */
    public String actor() {
        return "token:" + name;
    }
}
