package dev.wgcp.cli;

import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.SchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads event topics for an audit without joining a consumer group: partitions are assigned, not
 * subscribed, and no offset is ever committed, so the services' groups are not disturbed. Records
 * are decoded through the schema registry; one that cannot be decoded is reported, not skipped.
 */
final class AuditReader implements AutoCloseable {

    /** One record as read: where it is, its broker timestamp, and the event (null when it could not be decoded). */
    record Entry(String topic, int partition, long offset, Instant timestamp, String key, SpecificRecord event, String error) {
    }

    /** Where to start: the beginning, an offset in every partition, or a time. */
    record Start(Long offset, Instant time) {
        static final Start BEGINNING = new Start(null, null);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventDeserializer deserializer;

    /** {@code kafka}: the brokers and the read-only principal's security settings (a Kafka client properties file). */
    AuditReader(Properties kafka, String schemaRegistryUrl) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "wgcp-audit");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.deserializer = new EventDeserializer(new SchemaRegistryClient(schemaRegistryUrl));
    }

    /**
     * Reads {@code topics} from {@code start} until {@code until} (a record time; null: up to the
     * end the topics had when reading began), or, when {@code follow}, on until interrupted. Each
     * record goes to {@code sink} in its partition's order.
     */
    void read(List<String> topics, Start start, Instant until, boolean follow, Consumer<Entry> sink) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> info;
            try {
                info = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            } catch (TimeoutException e) {
                throw new Api.ApiException(3, "cannot reach the Kafka broker to read " + topic + " (set --bootstrap-servers)");
            }
            if (info == null || info.isEmpty()) {
                throw new Api.ApiException(1, "topic " + topic + " does not exist on the broker");
            }
            info.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        if (start.time() != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, start.time().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp o = found.get(tp);
                consumer.seek(tp, o == null ? ends.get(tp) : o.offset());
            }
        } else if (start.offset() != null) {
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.min(Math.max(start.offset(), beginnings.get(tp)), ends.get(tp)));
            }
        } else {
            consumer.seekToBeginning(partitions);
        }
        Predicate<TopicPartition> done = tp -> !follow && consumer.position(tp) >= ends.get(tp);
        java.util.Set<TopicPartition> open = new java.util.HashSet<>(partitions);
        while (follow || !open.isEmpty()) {
            open.removeIf(done);
            if (!follow && open.isEmpty()) {
                break;
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (!follow && r.offset() >= ends.get(tp)) {
                    continue; // written after the audit began
                }
                Instant at = Instant.ofEpochMilli(r.timestamp());
                if (until != null && at.isAfter(until)) {
                    if (!follow) {
                        open.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                    continue;
                }
                SpecificRecord event = null;
                String error = null;
                try {
                    event = deserializer.deserialize(r.topic(), r.value());
                } catch (RuntimeException e) {
                    error = e.getMessage();
                }
                sink.accept(new Entry(r.topic(), r.partition(), r.offset(), at, r.key(), event, error));
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
