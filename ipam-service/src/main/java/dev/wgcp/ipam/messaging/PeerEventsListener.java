package dev.wgcp.ipam.messaging;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.ipam.service.AllocationService;
import dev.wgcp.ipam.service.PoolSeeder;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.kit.messaging.GroupConsumer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows the registry's peer events: a registration gets its addresses, a deletion releases them,
 * an update renames. Starts after the configured pools exist ({@link PoolSeeder}).
 */
@Context
@Requires(property = "wgcp.ipam.consumer.enabled", notEquals = "false")
public class PeerEventsListener extends GroupConsumer {

    private final AllocationService allocations;

    public PeerEventsListener(KafkaConnection kafka, dev.wgcp.schemas.consumer.GroupMembership membership, EventDeserializer deserializer, DeadLetters deadLetters,
                              TransactionOperations<Connection> tx, PoolSeeder seeded,
                              AllocationService allocations,
                              @Value("${wgcp.ipam.consumer-group:ipam-service}") String group) {
        super(kafka, membership, deserializer, deadLetters, tx, group, List.of(Topics.PEERS));
        this.allocations = allocations;
    }

    @Override
    protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof PeerRegistered registered) {
            allocations.onPeerRegistered(registered);
        } else if (event instanceof PeerRemoved removed) {
            allocations.onPeerRemoved(removed);
        } else if (event instanceof PeerUpdated updated) {
            allocations.onPeerUpdated(updated);
        }
    }
}
