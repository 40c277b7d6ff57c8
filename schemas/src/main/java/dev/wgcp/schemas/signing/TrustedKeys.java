package dev.wgcp.schemas.signing;

import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;

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
        BAD_SIGNATURE("bad_signature"),
        /** Signed by a trusted key after it was retired, or where the broker's append time cannot tell. */
        RETIRED_KEY("retired_key");

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

    /**
     * A trusted key, and when it was retired (null: in use). A retired key still vouches for the
     * records the broker appended before that moment (history replays at every agent start), and
     * for nothing appended after it.
     */
    public record Trusted(VerifyKey key, java.time.Instant retiredAt) {

        /**
         * {@code KEY} or {@code KEY@INSTANT} (the key in base64, retired at the ISO-8601 instant),
         * as {@code wgcp.trust.<service>} lists them.
         */
        public static Trusted parse(String text) {
            String t = text.strip();
            int at = t.indexOf('@');
            if (at < 0) {
                return new Trusted(VerifyKey.parse(t), null);
            }
            try {
                return new Trusted(VerifyKey.parse(t.substring(0, at)), java.time.Instant.parse(t.substring(at + 1).strip()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + t.substring(at + 1) + "' is not an instant: expected KEY@2026-12-31T00:00:00Z"
                        + " (the moment the key was retired)");
            }
        }
    }

    private final Map<String, Map<String, Trusted>> byTopic;

    private TrustedKeys(Map<String, Map<String, Trusted>> byTopic) {
        this.byTopic = byTopic;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trust for {@code topics}, each signed by the services that own it ({@link KafkaAccess#owners}):
     * {@code keysOf} gives a service's trusted public keys in base64 (one, or two during a rotation),
     * configured as {@code wgcp.trust.<service>}. A topic none of whose owners has a key is an error
     * that names the setting: a consumer that trusts nobody would apply nothing, or everything.
     */
    public static TrustedKeys forOwners(java.util.Collection<TopicSpec> topics, java.util.function.Function<String, List<String>> keysOf) {
        Builder b = builder();
        for (TopicSpec t : topics) {
            List<String> owners = KafkaAccess.owners(t);
            List<Trusted> keys = new java.util.ArrayList<>();
            for (String owner : owners) {
                for (String k : keysOf.apply(owner)) {
                    if (k != null && !k.isBlank()) {
                        try {
                            keys.add(Trusted.parse(k));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("wgcp.trust." + owner + ": " + e.getMessage());
                        }
                    }
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no signing key is trusted for " + t.name() + ": set wgcp.trust." + String.join(
                        " or wgcp.trust.", owners) + " (env WGCP_TRUST_" + owners.get(0).toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                        + ") to the public key of that service's wgcp.signing.key-file (wgcp keys public prints it)");
            }
            b.trustEntries(t.name(), keys);
        }
        return b.build();
    }

    /** Whether records of {@code topic} are checked. */
    public boolean covers(String topic) {
        return byTopic.containsKey(topic);
    }

    public Set<String> topics() {
        return byTopic.keySet();
    }

    /** The keys trusted for {@code topic} (empty when it is not covered). */
    public Collection<Trusted> keys(String topic) {
        return byTopic.getOrDefault(topic, Map.of()).values();
    }

    /** {@link #check(String, Headers, byte[], long, TimestampType)} for a record of unknown age (a retired key's signature then counts for nothing). */
    public Refusal check(String topic, Headers headers, byte[] value) {
        return check(topic, headers, value, -1, TimestampType.NO_TIMESTAMP_TYPE);
    }

    /**
     * Null when {@code value} on {@code topic} carries a good signature by a trusted key (or the
     * topic is not covered), else why not. {@code timestamp} of type {@code LOG_APPEND_TIME} is
     * when the broker appended the record: what a retired key's signature is judged by (a
     * producer's own time could be backdated by whoever holds the retired key).
     */
    public Refusal check(String topic, Headers headers, byte[] value, long timestamp, TimestampType type) {
        Map<String, Trusted> keys = byTopic.get(topic);
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
        Trusted trusted = keys.get(id);
        if (trusted == null) {
            return new Refusal(Reason.UNKNOWN_KEY, "record on " + topic + " is signed by key " + printable(id)
                    + ", which is not trusted for it: expected one of " + keys.keySet());
        }
        if (!trusted.key().verifies(RecordSignatures.message(topic, value), signature)) {
            return new Refusal(Reason.BAD_SIGNATURE, "record on " + topic + " has a signature that key " + id
                    + " did not make for it (changed after signing, or forged)");
        }
        if (trusted.retiredAt() != null) {
            if (type != TimestampType.LOG_APPEND_TIME) {
                return new Refusal(Reason.RETIRED_KEY, "record on " + topic + " is signed by key " + id + ", retired at "
                        + trusted.retiredAt() + ", and the topic does not stamp the broker's append time (message.timestamp.type="
                        + "LogAppendTime), so nothing tells whether it was written before");
            }
            if (!java.time.Instant.ofEpochMilli(timestamp).isBefore(trusted.retiredAt())) {
                return new Refusal(Reason.RETIRED_KEY, "record on " + topic + " is signed by key " + id + ", retired at "
                        + trusted.retiredAt() + ", and was appended after that (" + java.time.Instant.ofEpochMilli(timestamp) + ")");
            }
        }
        return null;
    }

    private static String printable(String id) {
        String s = id.length() > 32 ? id.substring(0, 32) + "..." : id;
        return s.replaceAll("[^0-9A-Za-z]", "?");
    }

    /** Collects trusted keys per topic. */
    public static final class Builder {
        private final Map<String, Map<String, Trusted>> byTopic = new LinkedHashMap<>();

        /** Trusts {@code keys} (in use, none retired) for {@code topic}; at least one key is required. */
        public Builder trust(String topic, List<VerifyKey> keys) {
            return trustEntries(topic, keys.stream().map(k -> new Trusted(k, null)).toList());
        }

        /** Trusts {@code keys} for {@code topic}, some perhaps retired; at least one key is required. */
        public Builder trustEntries(String topic, List<Trusted> keys) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no key is trusted for " + topic + ": expected at least one public key");
            }
            Map<String, Trusted> m = byTopic.computeIfAbsent(topic, t -> new LinkedHashMap<>());
            keys.forEach(k -> m.put(k.key().id(), k));
            return this;
        }

        public TrustedKeys build() {
            Map<String, Map<String, Trusted>> copy = new LinkedHashMap<>();
            byTopic.forEach((t, m) -> copy.put(t, Map.copyOf(m)));
            return new TrustedKeys(Map.copyOf(copy));
        }
    }
}
