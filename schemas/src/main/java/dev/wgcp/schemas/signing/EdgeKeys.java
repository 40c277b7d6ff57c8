package dev.wgcp.schemas.signing;

import dev.wgcp.events.v1.EdgeChanged;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;

/**
 * What each edge may report, and under which key: the signing key and networks the registry holds
 * for every edge (from {@code EdgeChanged} on the config topic, itself signed by the registry). A
 * record an edge's agent wrote (an acknowledgement, an observation, its own address) counts only
 * when it is signed by the key registered for the edge it names: one edge's Kafka credentials, or
 * its key, cannot speak for another edge, and an edge cannot report on a network it does not serve.
 */
public final class EdgeKeys {

    private record Edge(VerifyKey key, Set<String> networks) {
    }

    private final Map<String, Edge> edges = new ConcurrentHashMap<>();

    /** Takes an edge's registration; a malformed key counts as none (its reports are then refused, and say why). */
    public void edgeChanged(EdgeChanged e) {
        edges.put(e.getEdgeId(), new Edge(parse(e.getSigningKey()), Set.copyOf(e.getNetworks())));
    }

    /** The same from stored values (a consumer that keeps edges in its database). */
    public void edge(String edgeId, String signingKey, List<String> networks) {
        edges.put(edgeId, new Edge(parse(signingKey), Set.copyOf(networks)));
    }

    private static VerifyKey parse(String key) {
        try {
            return key == null ? null : VerifyKey.parse(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a signing key is registered for the edge. */
    public boolean hasKey(String edgeId) {
        Edge e = edges.get(edgeId);
        return e != null && e.key() != null;
    }

    /** Whether the edge serves {@code network} (false for an unknown edge). */
    public boolean serves(String edgeId, String network) {
        Edge e = edges.get(edgeId);
        return e != null && e.networks().contains(network);
    }

    /**
     * Null when {@code value} on {@code topic}, claiming to come from {@code edgeId}, is signed by the
     * key registered for that edge; else why not.
     */
    public TrustedKeys.Refusal check(String edgeId, String topic, Headers headers, byte[] value) {
        Edge edge = edges.get(edgeId);
        if (edge == null || edge.key() == null) {
            return new TrustedKeys.Refusal(TrustedKeys.Reason.UNKNOWN_KEY, "a report of edge " + edgeId + " on " + topic + ", but no signing"
                    + " key is registered for that edge: register its agent's public key (PUT /v1/edges/" + edgeId + " \"signingKey\")");
        }
        byte[] keyId = RecordSignatures.single(headers, RecordSignatures.KEY_ID_HEADER);
        byte[] signature = RecordSignatures.single(headers, RecordSignatures.SIGNATURE_HEADER);
        if (keyId == null || signature == null || value == null) {
            return new TrustedKeys.Refusal(TrustedKeys.Reason.UNSIGNED, "a report of edge " + edgeId + " on " + topic + " is not signed");
        }
        String id = new String(keyId, StandardCharsets.US_ASCII);
        if (!id.equals(edge.key().id())) {
            return new TrustedKeys.Refusal(TrustedKeys.Reason.UNKNOWN_KEY, "a report of edge " + edgeId + " on " + topic
                    + " is signed by key " + id.replaceAll("[^0-9a-f]", "?") + ", not by that edge's key " + edge.key().id()
                    + " (another edge speaking for it, or a forgery)");
        }
        if (!edge.key().verifies(RecordSignatures.message(topic, value), signature)) {
            return new TrustedKeys.Refusal(TrustedKeys.Reason.BAD_SIGNATURE, "a report of edge " + edgeId + " on " + topic
                    + " has a signature its key did not make for it");
        }
        return null;
    }
}
