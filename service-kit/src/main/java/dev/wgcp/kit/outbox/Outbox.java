package dev.wgcp.kit.outbox;

import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.WireFormat;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;
import java.sql.Connection;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes an event into the outbox inside the caller's transaction, so the state change and its event
 * commit together or not at all. The row holds the record value as it goes to Kafka, in the Confluent
 * wire format with the id of the topic's schema (registered when the service started): whichever build
 * relays it, it sends the bytes written here, so a changed event schema never wedges the relay in a
 * rolling upgrade or a rollback. The relay is woken when the transaction commits.
 */
@Singleton
public class Outbox {

    private final OutboxRepository repository;
    private final OutboxRelay relay;
    private final TransactionOperations<Connection> tx;
    private final SchemaRegistryClient registry;

    public Outbox(OutboxRepository repository, OutboxRelay relay, TransactionOperations<Connection> tx, SchemaRegistryClient registry) {
        this.repository = repository;
        this.relay = relay;
        this.tx = tx;
        this.registry = registry;
    }

    /**
     * Appends {@code event} for {@code topic}.
     *
     * @throws dev.wgcp.schemas.SchemaRegistryException when the topic's schema id is not known yet and the
     *         schema registry cannot be reached (the caller's transaction then changes nothing)
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void append(TopicSpec topic, String key, SpecificRecord event) {
        if (!topic.carries(event.getSchema())) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " does not belong on " + topic.name());
        }
        // Cached after the start's registration (SchemaRegistration): no call to the registry here.
        int schemaId = registry.register(topic.valueSubject(), topic.valueSchema());
        repository.save(new OutboxMessage(topic.name(), key, event.getClass().getName(),
                WireFormat.encode(schemaId, topic.valueSchema(), event), schemaId));
        tx.findTransactionStatus().ifPresentOrElse(status -> status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        }), relay::wakeUp);
    }
}
