package dev.wgcp.schemas.kafka;

import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates wgcp's topics with their settings: event topics are the audit log and keep everything
 * (retention.ms=-1, replayable from any offset or time); state topics are compacted (the latest
 * record per key is the state); each has a dead-letter topic beside it.
 */
public final class KafkaTopics {

    /** The topic setting that makes the broker stamp each record with its append time. */
    public static final String TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String LOG_APPEND_TIME = "LogAppendTime";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private KafkaTopics() {
    }

    /**
     * Registers every topic's schema under its subject, with a writer's credentials: what the
     * services do at their start, done by a set-up (the devstack, the tests) before any agent runs.
     */
    public static void registerSchemas(dev.wgcp.schemas.SchemaRegistryClient registry) {
        for (dev.wgcp.schemas.TopicSpec topic : dev.wgcp.schemas.Topics.all()) {
            registry.register(topic.valueSubject(), topic.valueSchema());
        }
    }

    /**
     * How new topics are laid out: partitions of each event topic, copies of each partition, and how
     * many of those must have a write before it is acknowledged ({@code min.insync.replicas}, with the
     * producers' {@code acks=all}). Production: 3 copies, 2 in sync, so one broker may be lost without
     * losing an acknowledged event or refusing writes. One broker (the devstack): 1 and 1.
     */
    public record Layout(int partitions, int replicationFactor, int minInsyncReplicas) {

        public static Layout singleBroker(int partitions) {
            return new Layout(partitions, 1, 1);
        }

        public Layout {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("the replication factor must be at least 1 (3 in production), got " + replicationFactor);
            }
            if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
                throw new IllegalArgumentException("min.insync.replicas must be 1 to the replication factor (" + replicationFactor
                        + "; 2 of 3 in production), got " + minInsyncReplicas);
            }
        }
    }

    /** Creates the topics that do not exist yet, as {@code admin} (a principal allowed to create topics), on one broker. */
    public static void createAll(KafkaConnection admin, int partitions) {
        createAll(admin, Layout.singleBroker(partitions));
    }

    /** Creates the topics that do not exist yet, laid out as {@code layout}, as {@code admin}. */
    public static void createAll(KafkaConnection admin, Layout layout) {
        String bootstrapServers = admin.bootstrapServers();
        try (Admin client = Admin.create(admin.properties("wgcp-topics"))) {
            createAll(client, bootstrapServers, layout);
        }
    }

    /** Creates the topics that do not exist yet and stamps the existing ones with broker append times, through {@code admin}. */
    public static void createAll(Admin admin, int partitions) {
        createAll(admin, "the brokers", Layout.singleBroker(partitions));
    }

    /**
     * The same, laid out as {@code layout}. Topics that exist keep their replication (change it with
     * Kafka's partition reassignment); only their timestamp type is set.
     */
    public static void createAll(Admin admin, Layout layout) {
        createAll(admin, "the brokers", layout);
    }

    private static void createAll(Admin admin, String bootstrapServers, Layout layout) {
        int partitions = layout.partitions();
        short copies = (short) layout.replicationFactor();
        String minIsr = String.valueOf(layout.minInsyncReplicas());
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> stamp =
                    new java.util.HashMap<>();
            for (TopicSpec t : Topics.all()) {
                // Records carry the broker's append time, which no producer can backdate: what a retired signing key is judged by.
                Map<String, String> audit = Map.of("retention.ms", "-1", "cleanup.policy", "delete", TIMESTAMP_TYPE, LOG_APPEND_TIME,
                        MIN_INSYNC_REPLICAS, minIsr);
                Map<String, String> state = Map.of("cleanup.policy", "compact", TIMESTAMP_TYPE, LOG_APPEND_TIME, MIN_INSYNC_REPLICAS, minIsr);
                if (existing.contains(t.name())) {
                    stamp.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                            t.name()), List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            TIMESTAMP_TYPE, LOG_APPEND_TIME), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
                }
                if (!existing.contains(t.name())) {
                    topics.add(new NewTopic(t.name(), partitions, copies).configs(t.compacted() ? state : audit));
                }
                String dlq = Topics.deadLetter(t.name());
                if (!existing.contains(dlq)) {
                    topics.add(new NewTopic(dlq, 1, copies).configs(audit));
                }
            }
            if (!topics.isEmpty()) {
                admin.createTopics(topics).all().get();
            }
            if (!stamp.isEmpty()) {
                admin.incrementalAlterConfigs(stamp).all().get(); // topics made before append times were used
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create wgcp topics on " + bootstrapServers + ": " + e.getCause().getMessage(), e);
        }
    }
}
