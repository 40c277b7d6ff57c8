package dev.wgcp.schemas.signing;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sends record values that are already in the wire format (an outbox row as it was written) as they
 * are, signing each with the key {@code signers} gives for its topic ({@link RecordSignatures}; null:
 * unsigned).
 */
public final class SigningSerializer implements Serializer<byte[]> {

    private final java.util.function.Function<String, SigningKey> signers;

    public SigningSerializer(java.util.function.Function<String, SigningKey> signers) {
        this.signers = signers;
    }

    @Override
    public byte[] serialize(String topic, byte[] data) {
        return data;
    }

    @Override
    public byte[] serialize(String topic, Headers headers, byte[] data) {
        SigningKey signer = signers.apply(topic);
        if (signer != null && data != null) {
            RecordSignatures.sign(signer, topic, headers, data);
        }
        return data;
    }
}
