package dev.wgcp.infra;

import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.SerdeConfig;
import dev.wgcp.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning without a consumer group, for tests and audits. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Decoded events of {@code topic} whose key is {@code key} (null: all), oldest first. */
    public static List<SpecificRecord> events(KafkaConnection kafka, String registryUrl, TopicSpec topic, String key) {
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        List<SpecificRecord> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : raw(kafka, topic.name())) {
            if (key == null || key.equals(r.key())) {
                out.add(deserializer.deserialize(topic.name(), r.value()));
            }
        }
        return out;
    }

    /** Every record of {@code topic} as bytes, up to the end offsets at the time of the call. */
    public static List<ConsumerRecord<String, byte[]>> raw(KafkaConnection kafka, String topic) {
        Properties p = kafka.properties(null);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
