package dev.wgcp.registry.domain;

import dev.wgcp.kit.domain.Refusal;
/**
 * Renders a wg-quick configuration for a peer. The private key stays on the device that generated
 * it, so the config carries a placeholder comment where the device adds it.
 */
public final class ClientConfig {

    private ClientConfig() {
    }

    /**
     * The edges the peer dials: the one whose address segment it is in, or every edge of the network
     * when its pools are shared (or that edge is no longer listed: better a config that may work).
     */
    static java.util.List<Network.Edge> edgesOf(Peer peer, Network network) {
        if (peer.edgeId() != null) {
            java.util.List<Network.Edge> own = network.edges().stream().filter(e -> e.id().equals(peer.edgeId())).toList();
            if (!own.isEmpty()) {
                return own;
            }
        }
        return network.edges();
    }

    public static String render(Peer peer, Network network) {
        return render(peer, network, null);
    }

    /**
     * With {@code privateKey} (a key the registry generated and hands out this once) the config is
     * complete; without it, the device adds its own where the comment says.
     */
    public static String render(Peer peer, Network network, String privateKey) {
        if (!peer.hasAddress()) {
            throw Refusal.notReady("peer " + peer.id()
                    + " has no tunnel address yet; ipam-service assigns one moments after registration, retry shortly");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# wgcp client configuration for peer ").append(peer.id());
        if (peer.name() != null) {
            sb.append(" (").append(peer.name().replaceAll("[\\r\\n]", " ")).append(')');
        }
        sb.append(" in network ").append(network.name()).append('\n');
        sb.append("[Interface]\n");
        if (privateKey != null) {
            sb.append("PrivateKey = ").append(privateKey).append('\n');
        } else {
            sb.append("# PrivateKey = <the private key of ").append(peer.publicKey())
                    .append("; it never left your device, add it here>\n");
        }
        sb.append("Address = ");
        StringBuilder addresses = new StringBuilder();
        if (peer.ipv4Address() != null) {
            addresses.append(peer.ipv4Address()).append("/32");
        }
        if (peer.ipv6Address() != null) {
            if (addresses.length() > 0) {
                addresses.append(", ");
            }
            addresses.append(peer.ipv6Address()).append("/128");
        }
        sb.append(addresses).append('\n');
        if (!network.dns().isEmpty()) {
            sb.append("DNS = ").append(String.join(", ", network.dns())).append('\n');
        }
        for (Network.Edge edge : edgesOf(peer, network)) {
            sb.append('\n');
            sb.append("[Peer]\n");
            sb.append("# edge ").append(edge.id()).append('\n');
            sb.append("PublicKey = ").append(edge.publicKey()).append('\n');
            sb.append("Endpoint = ").append(edge.endpoint()).append('\n');
            sb.append("AllowedIPs = ").append(String.join(", ", network.routes())).append('\n');
            if (peer.persistentKeepalive() > 0) {
                sb.append("PersistentKeepalive = ").append(peer.persistentKeepalive()).append('\n');
            }
        }
        return sb.toString();
    }
}
