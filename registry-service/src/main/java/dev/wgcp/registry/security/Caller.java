package dev.wgcp.registry.security;

import dev.wgcp.registry.domain.ApiScope;
import dev.wgcp.registry.domain.RegistryException;
import io.micronaut.security.authentication.Authentication;
import java.util.Map;

/**
 * Who makes a request: the authenticated API token's name (or client certificate's common name),
 * scope and network (operators may have one).
 */
public record Caller(String tokenName, ApiScope scope, String networkId, String via) {

    static final String SCOPE = "scope";
    static final String NETWORK = "network";
    static final String VIA = "via";

    public static Caller of(Authentication authentication) {
        Map<String, Object> a = authentication.getAttributes();
        Object network = a.get(NETWORK);
        Object via = a.get(VIA);
        return new Caller(authentication.getName(), ApiScope.valueOf(String.valueOf(a.get(SCOPE))),
                network == null ? null : network.toString(), via == null ? "token" : via.toString());
    }

    /** The actor recorded in events for changes this caller makes: token:&lt;name&gt; or cert:&lt;common name&gt;. */
    public String actor() {
        return via + ":" + tokenName;
    }

    /**
     * Like {@link #requireNetwork} for a network that costs a read to find: read only when this caller
     * is limited to one network at all (admins and unlimited operators, the common case, need none).
     */
    public void requireNetworkOf(java.util.function.Supplier<String> networkId) {
        if (this.networkId != null) {
            requireNetwork(networkId.get());
        }
    }

    /** Refuses (403) when this caller's token is scoped to another network than {@code networkId}. */
    public void requireNetwork(String networkId) {
        if (this.networkId != null && !this.networkId.equals(networkId)) {
            throw RegistryException.forbidden(via + " '" + tokenName + "' is scoped to network '" + this.networkId
                    + "' and cannot act on network '" + networkId + "'");
        }
    }
}
