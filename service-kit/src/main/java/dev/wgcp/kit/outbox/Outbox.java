package dev.wgcp.kit.outbox;

import dev.wgcp.schemas.TopicSpec;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.support.TransactionSynchronization;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes an event into the outbox inside the caller's transaction, so the state change and its event
 * commit together or not at all. The relay is woken when the transaction commits.
 */
@Singleton
public class Outbox {

    private final OutboxRepository repository;
    private final OutboxRelay relay;
    private final TransactionOperations<Connection> tx;

    public Outbox(OutboxRepository repository, OutboxRelay relay, TransactionOperations<Connection> tx) {
        this.repository = repository;
        this.relay = relay;
        this.tx = tx;
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void append(TopicSpec topic, String key, SpecificRecord event) {
        if (!topic.carries(event.getSchema())) {
            throw new IllegalArgumentException(event.getSchema().getFullName() + " does not belong on " + topic.name());
        }
        repository.save(new OutboxMessage(null, topic.name(), key, event.getClass().getName(), encode(event)));
        tx.findTransactionStatus().ifPresentOrElse(status -> status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        }), relay::wakeUp);
    }

    static byte[] encode(SpecificRecord event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(event.getSchema()).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
