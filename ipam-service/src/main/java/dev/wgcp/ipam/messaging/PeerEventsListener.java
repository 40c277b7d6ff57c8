package dev.wgcp.ipam.messaging;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.ipam.service.AllocationService;
import dev.wgcp.kit.config.KafkaSettings;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;

/** Follows the registry's peer events; each PeerRegistered gets its addresses. */
@Context
public class PeerEventsListener {

    private final EventConsumerLoop loop;

    public PeerEventsListener(KafkaSettings kafka, EventDeserializer deserializer, DeadLetters deadLetters,
                              AllocationService allocations,
                              @Value("${wgcp.ipam.consumer-group:ipam-service}") String groupId) {
        this.loop = EventConsumerLoop.group(kafka.getBootstrapServers(), groupId, List.of(Topics.PEERS),
                deserializer, (event, record) -> {
                    if (event instanceof PeerRegistered registered) {
                        allocations.onPeerRegistered(registered);
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
