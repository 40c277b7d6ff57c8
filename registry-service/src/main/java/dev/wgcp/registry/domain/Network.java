package dev.wgcp.registry.domain;

import java.util.List;

/**
 * A WireGuard network as clients see it.
 *
 * @param routes              what a client routes into the tunnel (AllowedIPs of its edge peers)
 * @param dns                 DNS servers for clients, may be empty
 * @param persistentKeepalive default keepalive for new peers (25 s keeps NAT mappings open)
 * @param edges               the WireGuard servers that serve this network
 */
public record Network(String name, List<String> routes, List<String> dns, int persistentKeepalive, List<Edge> edges,
                      List<String> pools) {

    public Network(String name, List<String> routes, List<String> dns, int persistentKeepalive, List<Edge> edges) {
        this(name, routes, dns, persistentKeepalive, edges, List.of());
    }


    /**
     * A WireGuard server: its public key, the public endpoint clients dial (a DNS name where its IP
     * is dynamic), and the public key its agent signs its reports with (null: none registered).
     */
    public record Edge(String id, String publicKey, String endpoint, String signingKey) {

        public Edge(String id, String publicKey, String endpoint) {
            this(id, publicKey, endpoint, null);
        }
    }
}
