package dev.wgcp.kit.messaging;

import dev.wgcp.kit.config.KafkaSettings;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Base of a service's event listener: a member of consumer group {@code groupId} on {@code topics},
 * started with the application and stopped with it. Subclasses translate each event and call a service.
 */
public abstract class GroupConsumer {

    private final EventConsumerLoop loop;

    protected GroupConsumer(KafkaSettings kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                            String groupId, List<TopicSpec> topics) {
        this.loop = EventConsumerLoop.group(kafka.getBootstrapServers(), groupId, topics, deserializer, this::handle, deadLetters);
    }

    /** Handles one decoded event; must be idempotent (delivery is at least once). Throwing retries it. */
    protected abstract void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) throws Exception;

    @PostConstruct
    void start() {
        loop.start();
    }

    @PreDestroy
    void stop() {
        loop.close();
    }
}
