package dev.wgcp.schemas;

import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.signing.SigningKey;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producers every wgcp component uses, with one set of settings. */
public final class Producers {

    private Producers() {
    }

    /** Events keyed by peer or edge id, values in the Confluent wire format through {@code registry}. */
    public static KafkaProducer<String, SpecificRecord> events(KafkaConnection kafka, SchemaRegistryClient registry, String clientId) {
        return events(kafka, registry, clientId, null);
    }

    /** The same, each record signed with {@code signer} (null: unsigned). */
    public static KafkaProducer<String, SpecificRecord> events(KafkaConnection kafka, SchemaRegistryClient registry, String clientId,
                                                               SigningKey signer) {
        return new KafkaProducer<>(settings(kafka, clientId), new StringSerializer(), new EventSerializer(registry, signer));
    }

    /** Values already in the wire format (outbox rows as written), sent as they are and signed with {@code signer} (null: unsigned). */
    public static KafkaProducer<String, byte[]> encodedEvents(KafkaConnection kafka, String clientId, SigningKey signer) {
        return new KafkaProducer<>(settings(kafka, clientId), new StringSerializer(),
                new dev.wgcp.schemas.signing.SigningSerializer(topic -> signer));
    }

    /**
     * A producer of large state records (whole rulesets: about 560 KB of text at 10,000 peers with
     * groups), compressed with zstd (nft scripts shrink about tenfold) and allowed up to
     * {@value #LARGE_RECORD_BYTES} bytes before compression; the broker limits the compressed batch
     * ({@code max.message.bytes}, 1 MB by default, raised on the topics that carry such records).
     */
    public static KafkaProducer<String, SpecificRecord> largeEvents(KafkaConnection kafka, SchemaRegistryClient registry, String clientId,
                                                                    SigningKey signer) {
        java.util.Properties p = settings(kafka, clientId);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LARGE_RECORD_BYTES);
        return new KafkaProducer<>(p, new StringSerializer(), new EventSerializer(registry, signer));
    }

    /** The largest record {@link #largeEvents} sends, before compression: 64 MiB. */
    public static final int LARGE_RECORD_BYTES = 64 * 1024 * 1024;

    /** Dead letters: the undecodable records of {@code consumerName}, byte for byte. */
    public static DeadLetters deadLetters(KafkaConnection kafka, String consumerName) {
        return new DeadLetters(new KafkaProducer<>(settings(kafka, consumerName + "-dlq"),
                new ByteArraySerializer(), new ByteArraySerializer()), consumerName);
    }

    static Properties settings(KafkaConnection kafka, String clientId) {
        Properties p = kafka.properties(clientId);
        // Events are the audit log: wait for the broker's durable acknowledgement, never duplicate on retry.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Send at once: a peer change should reach the edges in milliseconds; batching comes from the callers.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // Fail a send after 30 s instead of the 2 min default so that callers retry visibly.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }
}
