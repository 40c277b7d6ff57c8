package dev.wgcp.kit.messaging;

import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.schemas.consumer.GroupMembership;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Base of a service's event listener: a member of consumer group {@code groupId} on {@code topics},
 * started with the application and stopped with it. All events of one poll are handled in one
 * database transaction: a burst of events costs one commit, not one each, and a failure rolls the
 * whole batch back to be retried (handlers are idempotent). Subclasses translate each event and
 * call a service, whose transactional methods join the batch's transaction.
 */
public abstract class GroupConsumer implements TopicFollower {

    private final EventConsumerLoop loop;

    protected GroupConsumer(KafkaConnection kafka, GroupMembership membership, EventDeserializer deserializer, DeadLetters deadLetters,
                            TransactionOperations<Connection> tx, String groupId, List<TopicSpec> topics) {
        this.loop = EventConsumerLoop.groupBatches(kafka, groupId, membership, topics, deserializer,
                batch -> tx.executeWrite(status -> {
                    for (EventConsumerLoop.Decoded d : batch) {
                        try {
                            handle(d.event(), d.record());
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    }
                    return null;
                }), deadLetters);
    }

    /** Handles one decoded event; must be idempotent (delivery is at least once). Throwing retries the batch. */
    protected abstract void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) throws Exception;

    /** Whether this listener still follows its topics (false after a fatal Kafka error). */
    public boolean isAlive() {
        return loop.isAlive();
    }

    @Override
    public String name() {
        return loop.name();
    }

    @Override
    public EventConsumerLoop.State state() {
        return loop.state();
    }

    /** Records behind the ends of the assigned partitions after the last poll; NaN before it is known. */
    public double lag() {
        return loop.lag();
    }

    @PostConstruct
    void start() {
        loop.start();
    }

    @PreDestroy
    void stop() {
        loop.close();
    }
}
