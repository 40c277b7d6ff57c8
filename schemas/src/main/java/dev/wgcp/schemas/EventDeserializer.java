package dev.wgcp.schemas;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for wgcp events in the Confluent wire format: the writer schema comes from the
 * registry by the id in the header and is resolved against the topic's reader schema, so records
 * written by older or newer compatible producers decode into this build's generated classes.
 *
 * <p>Bytes that cannot be decoded raise {@link MalformedRecordException} with the reason; listeners
 * dead-letter such records instead of retrying them forever. A schema id the registry does not
 * know raises {@link UnknownSchemaException} instead: the registry, not the record, is wrong, and
 * consumers retry until it knows the id.
 */
public class EventDeserializer implements Deserializer<SpecificRecord> {

    static {
        Topics.trustEventClasses();
    }

    private SchemaRegistryClient registry;

    public EventDeserializer() {
    }

    public EventDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SerdeConfig.registryClient(configs);
        }
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        TopicSpec spec = Topics.byName(topic).orElseThrow(() -> new MalformedRecordException(
                "topic '" + topic + "' is not a wgcp event topic"));
        int id = WireFormat.schemaId(data);
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40403) {
                throw new UnknownSchemaException(id, registry.baseUrl(), e);
            }
            throw e;
        }
        Object value = WireFormat.decode(data, writer, spec.valueSchema());
        if (!(value instanceof SpecificRecord record)) {
            throw new MalformedRecordException("schema id " + id + " decodes to " + value.getClass().getName()
                    + ", expected one of the generated event classes");
        }
        return record;
    }
}
