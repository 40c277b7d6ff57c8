package dev.wgcp.ipam.messaging;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.ipam.service.AllocationService;
import dev.wgcp.kit.config.KafkaSettings;
import dev.wgcp.kit.messaging.GroupConsumer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Follows the registry's peer events; each PeerRegistered gets its addresses. */
@Context
public class PeerEventsListener extends GroupConsumer {

    private final AllocationService allocations;

    public PeerEventsListener(KafkaSettings kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                              TransactionOperations<Connection> tx,
                              AllocationService allocations) {
        super(kafka, deserializer, deadLetters, tx, "ipam-service", List.of(Topics.PEERS));
        this.allocations = allocations;
    }

    @Override
    protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof PeerRegistered registered) {
            allocations.onPeerRegistered(registered);
        }
    }
}
