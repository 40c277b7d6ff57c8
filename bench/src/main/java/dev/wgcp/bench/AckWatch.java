package dev.wgcp.bench;

import dev.wgcp.events.v1.AgentApplied;
import dev.wgcp.events.v1.AppliedPeerChange;
import dev.wgcp.events.v1.PeerAction;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.SerdeConfig;
import dev.wgcp.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the agents' {@code AgentApplied} acknowledgements and remembers when each peer was added
 * to, or removed from, each edge's interface (the agent's {@code appliedAt}: the moment the interface
 * confirmed the change). Costs the system one small record per apply, where reading the interfaces
 * costs wireguard-go a serialization of every peer per read; the benchmark confirms samples of the
 * agents' word with {@code wg show}.
 */
final class AckWatch implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventDeserializer deserializer = new EventDeserializer();
    private final Map<String, Instant> appliedAt = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    AckWatch(dev.wgcp.schemas.kafka.KafkaConnection kafka, String registryUrl) {
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        Properties p = kafka.properties("bench-ack-watch");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // As the services' consumers: a fetch returns as soon as one record is there.
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(Topics.APPLIED.name(), Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::run, "ack-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    SpecificRecord event = deserializer.deserialize(r.topic(), r.value());
                    if (event instanceof AgentApplied a) {
                        for (AppliedPeerChange c : a.getChanges()) {
                            if (c.getAction() != PeerAction.UPDATED) {
                                appliedAt.putIfAbsent(key(a.getEdgeId(), c.getPublicKey(), c.getAction()), a.getAppliedAt());
                            }
                        }
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static String key(String edgeId, String publicKey, PeerAction action) {
        return edgeId + ' ' + publicKey + ' ' + action;
    }

    /** When {@code edgeId} acknowledged adding (or removing) {@code publicKey}; null if not before the deadline. */
    Instant await(String edgeId, String publicKey, PeerAction action, long deadlineNanos) throws InterruptedException {
        String k = key(edgeId, publicKey, action);
        synchronized (this) {
            while (true) {
                Instant at = appliedAt.get(k);
                if (at != null) {
                    return at;
                }
                if (failure != null) {
                    throw new IllegalStateException("cannot follow the agents' acknowledgements: " + failure.getMessage(), failure);
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /** The acknowledged time, if any yet, without waiting. */
    Instant appliedAt(String edgeId, String publicKey, PeerAction action) {
        return appliedAt.get(key(edgeId, publicKey, action));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
