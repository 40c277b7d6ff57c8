package dev.wgcp.infra;

import dev.wgcp.schemas.KafkaConnection;
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

    private KafkaTopics() {
    }

    /** Creates the topics that do not exist yet, as {@code admin} (a principal allowed to create topics). */
    public static void createAll(KafkaConnection admin, int partitions) {
        String bootstrapServers = admin.bootstrapServers();
        try (Admin client = Admin.create(admin.properties("wgcp-topics"))) {
            createAll(client, bootstrapServers, partitions);
        }
    }

    private static void createAll(Admin admin, String bootstrapServers, int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            for (TopicSpec t : Topics.all()) {
                Map<String, String> audit = Map.of("retention.ms", "-1", "cleanup.policy", "delete");
                Map<String, String> state = Map.of("cleanup.policy", "compact");
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create wgcp topics on " + bootstrapServers + ": " + e.getCause().getMessage(), e);
        }
    }
}
