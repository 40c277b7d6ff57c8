package dev.wgcp.kit.security;

import dev.wgcp.kit.domain.ApiScope;
import dev.wgcp.kit.domain.Refusal;
import io.micronaut.security.authentication.Authentication;
import java.util.Map;

/**
 * Who makes a request, in every wgcp service: the authenticated API token's name (or client
 * certificate's common name), scope and network (operators may have one). Controllers take the
 * request's {@link Authentication} and read it with {@link #of}.
 */
public record Caller(String tokenName, ApiScope scope, String networkId, String via) {

    /** The attributes of an {@link Authentication} that a wgcp credential builds ({@link #authentication}). */
    public static final String SCOPE = "scope";
    public static final String NETWORK = "network";
    public static final String VIA = "via";

    /** The authentication of a credential: name, role = scope, attributes scope, network (when limited) and via. */
    public static Authentication authentication(String name, ApiScope scope, String networkId, String via) {
        Map<String, Object> attributes = new java.util.HashMap<>();
        attributes.put(SCOPE, scope.name());
        attributes.put(VIA, via);
        if (networkId != null) {
            attributes.put(NETWORK, networkId);
        }
        return Authentication.build(name, java.util.List.of(scope.name()), attributes);
    }

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

    /**
     * The network a listing is limited to: for a caller limited to a network, its own (403 when it
     * asks for another); for any other caller, the one asked for (null: every network).
     */
    public String ownNetwork(String asked) {
        if (networkId == null) {
            return asked;
        }
        if (asked != null) {
            requireNetwork(asked);
        }
        return networkId;
    }

    /** Refuses (403) when this caller's token is scoped to another network than {@code networkId}. */
    public void requireNetwork(String networkId) {
        if (this.networkId != null && !this.networkId.equals(networkId)) {
            throw Refusal.forbidden(via + " '" + tokenName + "' is scoped to network '" + this.networkId
                    + "' and cannot act on network '" + networkId + "'");
        }
    }
}
