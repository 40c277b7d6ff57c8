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

    /** Creates the topics that do not exist yet, as {@code admin} (a principal allowed to create topics). */
    public static void createAll(KafkaConnection admin, int partitions) {
        String bootstrapServers = admin.bootstrapServers();
        try (Admin client = Admin.create(admin.properties("wgcp-topics"))) {
            createAll(client, bootstrapServers, partitions);
        }
    }

    /** Creates the topics that do not exist yet and stamps the existing ones with broker append times, through {@code admin}. */
    public static void createAll(Admin admin, int partitions) {
        createAll(admin, "the brokers", partitions);
    }

    private static void createAll(Admin admin, String bootstrapServers, int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> stamp =
                    new java.util.HashMap<>();
            for (TopicSpec t : Topics.all()) {
                // Records carry the broker's append time, which no producer can backdate: what a retired signing key is judged by.
                Map<String, String> audit = Map.of("retention.ms", "-1", "cleanup.policy", "delete", TIMESTAMP_TYPE, LOG_APPEND_TIME);
                Map<String, String> state = Map.of("cleanup.policy", "compact", TIMESTAMP_TYPE, LOG_APPEND_TIME);
                if (existing.contains(t.name())) {
                    stamp.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                            t.name()), List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            TIMESTAMP_TYPE, LOG_APPEND_TIME), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
                }
                if (!existing.contains(t.name())) {
                    topics.add(new NewTopic(t.name(), partitions, (short) 1).configs(t.compacted() ? state : audit));
                }
                String dlq = Topics.deadLetter(t.name());
                if (!existing.contains(dlq)) {
                    topics.add(new NewTopic(dlq, 1, (short) 1).configs(audit));
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
