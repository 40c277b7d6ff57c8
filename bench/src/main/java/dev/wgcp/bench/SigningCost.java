package dev.wgcp.bench;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.EventSerializer;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.signing.RecordSignatures;
import dev.wgcp.schemas.signing.SigningKey;
import dev.wgcp.schemas.signing.TrustedKeys;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * What signing and verifying one record costs, in this JVM, on a peer registration as the registry
 * writes it: Ed25519 over the value's bytes (what the services' serializers add to each record) and
 * the agent's check of it (what every edge adds before applying). Measured in the same run as the
 * propagation figures, so its share of a registration's path is a ratio of the same run.
 */
final class SigningCost {

    private SigningCost() {
    }

    static java.util.Map<String, Object> measure(String schemaRegistryUrl, int samples) {
        SigningKey key = SigningKey.generate();
        TrustedKeys trust = TrustedKeys.builder().trust(Topics.PEERS.name(), List.of(key.publicKey())).build();
        PeerRegistered event = PeerRegistered.newBuilder().setMetadata(new EventMetadataFactory("registry-service", Clock.systemUTC())
                        .create("token:admin", 1)).setPeerId(UUID.randomUUID().toString()).setNetworkId("home")
                .setPublicKey("pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPXw=").setName("laptop").setPersistentKeepaliveSeconds(25)
                .setTags(List.of("laptop")).build();
        byte[] value = new EventSerializer(new SchemaRegistryClient(schemaRegistryUrl)).serialize(Topics.PEERS.name(), event);
        Stats sign = new Stats();
        Stats verify = new Stats();
        for (int i = 0; i < samples + 2000; i++) {
            RecordHeaders headers = new RecordHeaders();
            long t0 = System.nanoTime();
            RecordSignatures.sign(key, Topics.PEERS.name(), headers, value);
            long t1 = System.nanoTime();
            TrustedKeys.Refusal refusal = trust.check(Topics.PEERS.name(), headers, value, System.currentTimeMillis(),
                    TimestampType.LOG_APPEND_TIME);
            long t2 = System.nanoTime();
            if (refusal != null) {
                throw new IllegalStateException("a record signed here was refused: " + refusal.message());
            }
            if (i >= 2000) { // the first 2000 compile the code paths
                sign.add((t1 - t0) / 1e6);
                verify.add((t2 - t1) / 1e6);
            }
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("record_bytes", value.length);
        out.put("sign", sign.summary());
        out.put("verify", verify.summary());
        return out;
    }
}
