package dev.wgcp.tracker.messaging;

import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.kit.config.KafkaSettings;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.tracker.service.EndpointService;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;

/** Follows the edges' observations. */
@Context
public class ObservationsListener {

    private final EventConsumerLoop loop;

    public ObservationsListener(KafkaSettings kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                                EndpointService endpoints) {
        this.loop = EventConsumerLoop.group(kafka.getBootstrapServers(), "endpoint-tracker", List.of(Topics.OBSERVATIONS),
                deserializer, (event, record) -> {
                    if (event instanceof HandshakeObserved observed) {
                        endpoints.observed(observed);
                    }
                }, deadLetters);
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
