package dev.wgcp.tracker.messaging;

import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.kit.config.KafkaSettings;
import dev.wgcp.kit.messaging.GroupConsumer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.tracker.service.EndpointService;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Follows the edges' observations. */
@Context
public class ObservationsListener extends GroupConsumer {

    private final EndpointService endpoints;

    public ObservationsListener(KafkaSettings kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                              TransactionOperations<Connection> tx,
                                EndpointService endpoints) {
        super(kafka, deserializer, deadLetters, tx, "endpoint-tracker", List.of(Topics.OBSERVATIONS));
        this.endpoints = endpoints;
    }

    @Override
    protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof HandshakeObserved observed) {
            endpoints.observed(observed);
        }
    }
}
