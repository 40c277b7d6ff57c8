package dev.wgcp.tracker.messaging;

import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.events.v1.EdgeChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.kit.messaging.GroupConsumer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.tracker.service.EndpointService;
import dev.wgcp.tracker.service.PeerDirectory;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows the edges' observations, the registry's peers (whose keys, which revoked, their names) and
 * its edges (their endpoints, for DNS).
 */
@Context
public class ObservationsListener extends GroupConsumer {

    private final EndpointService endpoints;
    private final PeerDirectory directory;

    public ObservationsListener(KafkaConnection kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                                TransactionOperations<Connection> tx, EndpointService endpoints, PeerDirectory directory) {
        super(kafka, deserializer, deadLetters, tx, "endpoint-tracker", List.of(Topics.OBSERVATIONS, Topics.PEERS, Topics.CONFIG));
        this.endpoints = endpoints;
        this.directory = directory;
    }

    @Override
    protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof HandshakeObserved e) {
            endpoints.observed(e);
        } else if (event instanceof EdgeAddressObserved e) {
            directory.edgeAddress(e);
        } else if (event instanceof PeerRegistered e) {
            directory.registered(e);
        } else if (event instanceof KeyRotated e) {
            directory.rotated(e);
        } else if (event instanceof KeyRevoked e) {
            directory.revoked(e);
        } else if (event instanceof PeerUpdated e) {
            directory.updated(e);
        } else if (event instanceof PeerRemoved e) {
            directory.removed(e);
        } else if (event instanceof EdgeChanged e) {
            directory.edgeChanged(e);
        }
        // other events on these topics say nothing about endpoints
    }
}
