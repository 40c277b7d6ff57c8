package dev.wgcp.schemas;

import dev.wgcp.schemas.signing.RecordSignatures;
import dev.wgcp.schemas.signing.SigningKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for wgcp events in the Confluent wire format. The value is written with the
 * topic's union schema (see {@link Topics}), registered under {@code <topic>-value}. With a
 * {@link SigningKey}, every record also carries its signature in its headers
 * ({@link RecordSignatures}): what edge agents require before they apply anything.
 */
public class EventSerializer implements Serializer<SpecificRecord> {

    static {
        Topics.trustEventClasses();
    }

    private SchemaRegistryClient registry;
    private boolean autoRegister = true;
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();

    public EventSerializer() {
    }

    private java.util.function.Function<String, SigningKey> signers = topic -> null;

    public EventSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** A serializer that signs every record with {@code signer} (null: unsigned). */
    public EventSerializer(SchemaRegistryClient registry, SigningKey signer) {
        this(registry, topic -> signer);
    }

    /** A serializer that signs each topic's records with the key {@code signers} gives for it (null: unsigned). */
    public EventSerializer(SchemaRegistryClient registry, java.util.function.Function<String, SigningKey> signers) {
        this.registry = registry;
        this.signers = signers;
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SpecificRecord value) {
        byte[] bytes = serialize(topic, value);
        SigningKey signer = signers.apply(topic);
        if (signer != null && bytes != null) {
            RecordSignatures.sign(signer, topic, headers, bytes);
        }
        return bytes;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SerdeConfig.registryClient(configs);
        }
        autoRegister = SerdeConfig.autoRegister(configs);
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord value) {
        if (value == null) {
            return null;
        }
        TopicSpec spec = Topics.byName(topic).orElseThrow(() -> new SerializationException(
                "topic '" + topic + "' is not a wgcp event topic; expected one of " + Topics.all().stream().map(TopicSpec::name).toList()));
        if (!spec.carries(value.getSchema())) {
            throw new SerializationException(value.getSchema().getFullName() + " does not belong on topic " + topic
                    + "; it carries " + spec.valueSchema().getTypes().stream().map(Schema::getFullName).toList());
        }
        int id = idByTopic.computeIfAbsent(topic, t -> schemaId(spec));
        return WireFormat.encode(id, spec.valueSchema(), value);
    }

    private int schemaId(TopicSpec spec) {
        if (registry == null) {
            throw new SerializationException("serializer not configured: '" + SerdeConfig.SCHEMA_REGISTRY_URL + "' missing");
        }
        try {
            if (autoRegister) {
                return registry.register(spec.valueSubject(), spec.valueSchema());
            }
            throw new SerializationException("auto registration is off and wgcp does not look up ids by schema yet;"
                    + " set " + SerdeConfig.AUTO_REGISTER + "=true");
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot register schema for " + spec.valueSubject() + ": " + e.getMessage(), e);
        }
    }
}
