package dev.wgcp.registry.messaging;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.kit.messaging.GroupConsumer;
import dev.wgcp.registry.service.PeerService;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Follows ipam-service's address events and records each peer's tunnel address. */
@Context
public class AddressEventsListener extends GroupConsumer {

    private final PeerService peers;

    public AddressEventsListener(KafkaConnection kafka, dev.wgcp.schemas.consumer.GroupMembership membership, EventDeserializer deserializer, DeadLetters deadLetters,
                              TransactionOperations<Connection> tx, PeerService peers) {
        super(kafka, membership, deserializer, deadLetters, tx, "registry-service", List.of(Topics.ADDRESSES));
        this.peers = peers;
    }

    @Override
    protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof AddressAssigned assigned) {
            peers.addressAssigned(assigned);
        } else if (event instanceof dev.wgcp.events.v1.AddressAllocationFailed failed) {
            peers.addressFailed(failed);
        }
    }
}
