package dev.wgcp.schemas.signing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;

/**
 * The keys a consumer trusts, per topic: a record on a topic listed here is accepted only with a
 * valid signature by one of that topic's keys (two during a rotation), so that a leaked broker
 * credential cannot make anything apply what the service that owns the topic never said. Topics not
 * listed are not checked here.
 */
public final class TrustedKeys {

    /** Why a record was refused. */
    public enum Reason {
        /** No signature headers (or more than one of either). */
        UNSIGNED("unsigned"),
        /** Signed by a key this consumer does not trust for the topic. */
        UNKNOWN_KEY("unknown_key"),
        /** The signature does not match the record. */
        BAD_SIGNATURE("bad_signature");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The metric label. */
        public String label() {
            return label;
        }
    }

    /** A refused record: the reason and a sentence for the dead-letter header and the log. */
    public record Refusal(Reason reason, String message) {
    }

    private final Map<String, Map<String, VerifyKey>> byTopic;

    private TrustedKeys(Map<String, Map<String, VerifyKey>> byTopic) {
        this.byTopic = byTopic;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether records of {@code topic} are checked. */
    public boolean covers(String topic) {
        return byTopic.containsKey(topic);
    }

    public Set<String> topics() {
        return byTopic.keySet();
    }

    /** The keys trusted for {@code topic} (empty when it is not covered). */
    public Collection<VerifyKey> keys(String topic) {
        return byTopic.getOrDefault(topic, Map.of()).values();
    }

    /** Null when {@code value} on {@code topic} carries a good signature by a trusted key (or the topic is not covered), else why not. */
    public Refusal check(String topic, Headers headers, byte[] value) {
        Map<String, VerifyKey> keys = byTopic.get(topic);
        if (keys == null) {
            return null;
        }
        byte[] keyId = RecordSignatures.single(headers, RecordSignatures.KEY_ID_HEADER);
        byte[] signature = RecordSignatures.single(headers, RecordSignatures.SIGNATURE_HEADER);
        if (keyId == null || signature == null || value == null) {
            return new Refusal(Reason.UNSIGNED, "record on " + topic + " is not signed: expected headers "
                    + RecordSignatures.KEY_ID_HEADER + " and " + RecordSignatures.SIGNATURE_HEADER + " from one of the keys trusted for it "
                    + keys.keySet());
        }
        String id = new String(keyId, StandardCharsets.US_ASCII);
        VerifyKey key = keys.get(id);
        if (key == null) {
            return new Refusal(Reason.UNKNOWN_KEY, "record on " + topic + " is signed by key " + printable(id)
                    + ", which is not trusted for it: expected one of " + keys.keySet());
        }
        if (!key.verifies(RecordSignatures.message(topic, value), signature)) {
            return new Refusal(Reason.BAD_SIGNATURE, "record on " + topic + " has a signature that key " + id
                    + " did not make for it (changed after signing, or forged)");
        }
        return null;
    }

    private static String printable(String id) {
        String s = id.length() > 32 ? id.substring(0, 32) + "..." : id;
        return s.replaceAll("[^0-9A-Za-z]", "?");
    }

    /** Collects trusted keys per topic. */
    public static final class Builder {
        private final Map<String, Map<String, VerifyKey>> byTopic = new LinkedHashMap<>();

        /** Trusts {@code keys} for {@code topic}; at least one key is required. */
        public Builder trust(String topic, List<VerifyKey> keys) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no key is trusted for " + topic + ": expected at least one public key");
            }
            Map<String, VerifyKey> m = byTopic.computeIfAbsent(topic, t -> new LinkedHashMap<>());
            keys.forEach(k -> m.put(k.id(), k));
            return this;
        }

        public TrustedKeys build() {
            Map<String, Map<String, VerifyKey>> copy = new LinkedHashMap<>();
            byTopic.forEach((t, m) -> copy.put(t, Map.copyOf(m)));
            return new TrustedKeys(Map.copyOf(copy));
        }
    }
}
