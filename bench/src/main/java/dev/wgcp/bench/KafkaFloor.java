package dev.wgcp.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor: one record produced (acks=all, as the services produce) and consumed by an already
 * polling consumer on the same broker, one at a time. Nothing that goes through Kafka can be faster.
 */
final class KafkaFloor {

    static final String TOPIC = "wgcp.bench.floor";

    private KafkaFloor() {
    }

    static Stats measure(dev.wgcp.schemas.kafka.KafkaConnection kafka, int samples) throws Exception {
        try (Admin admin = Admin.create(kafka.properties("bench-floor-admin"))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
        }
        Properties pp = kafka.properties("bench-floor-producer");
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Properties cp = kafka.properties("bench-floor-consumer");
        cp.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        Stats stats = new Stats();
        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(16);
        AtomicBoolean running = new AtomicBoolean(true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            Thread poller = new Thread(() -> {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        arrivals.offer(now - ByteBuffer.wrap(r.value()).getLong());
                    }
                }
            }, "floor-consumer");
            poller.start();
            try {
                for (int i = 0; i < samples + 50; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, ByteBuffer.allocate(8).putLong(System.nanoTime()).array())).get();
                    Long rtt = arrivals.poll(10, TimeUnit.SECONDS);
                    if (rtt == null) {
                        throw new IllegalStateException("a floor record did not come back within 10 s");
                    }
                    if (i >= 50) { // the first round trips warm up the JIT and the connections
                        stats.add(rtt / 1e6);
                    }
                }
            } finally {
                running.set(false);
                poller.join(5_000);
            }
        }
        return stats;
    }
}
