package dev.wgcp.edge.domain;

/** One change to apply to the interface, with the reason it is needed (logged, counted). */
public sealed interface PeerChange {

    String publicKey();

    String reason();

    /** Add the peer, or set its allowed-ips and keepalive to the desired ones. */
    record Upsert(DesiredPeer peer, String reason) implements PeerChange {
        @Override
        public String publicKey() {
            return peer.publicKey();
        }
    }

    /** Remove the peer from the interface. */
    record Remove(String publicKey, String reason) implements PeerChange {
    }
}
