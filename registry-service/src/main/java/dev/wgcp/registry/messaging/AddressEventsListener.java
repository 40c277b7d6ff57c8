package dev.wgcp.registry.messaging;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.kit.config.KafkaSettings;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.registry.service.PeerService;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;

/** Follows ipam-service's address events and records each peer's tunnel address. */
@Context
@Requires(property = "wgcp.registry.consume", notEquals = "false")
public class AddressEventsListener {

    private final EventConsumerLoop loop;

    public AddressEventsListener(KafkaSettings kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                                 PeerService peers) {
        this.loop = EventConsumerLoop.group(kafka.getBootstrapServers(), "registry-service", List.of(Topics.ADDRESSES),
                deserializer, (event, record) -> {
                    if (event instanceof AddressAssigned assigned) {
                        peers.addressAssigned(assigned);
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
