package dev.wgcp.registry.messaging;

import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.registry.service.AddressWaiters;
import dev.wgcp.registry.service.PeerService;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.schemas.kafka.KafkaConnection;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.UUID;

/**
 * Every registry instance reads the address events written from its start on, besides the group
 * member that records them all: a registration waits on the instance it was made at, while the group
 * may hand the peer's address event to another instance. For a peer one of its registrations waits
 * for, this instance records the address itself (idempotent, as the group member's doing it again
 * is) and answers the registration once that committed; every other event it passes over.
 */
@Context
public class AddressWaitersFollower implements dev.wgcp.kit.messaging.TopicFollower {

    private final EventConsumerLoop loop;

    public AddressWaitersFollower(KafkaConnection kafka, EventDeserializer deserializer, AddressWaiters waiters, PeerService peers) {
        this.loop = EventConsumerLoop.tail(kafka, "registry-service-address-waiters", List.of(Topics.ADDRESSES), deserializer,
                (event, record) -> {
                    if (event instanceof AddressAssigned assigned && expected(waiters, assigned.getPeerId())) {
                        peers.addressAssigned(assigned);
                    } else if (event instanceof AddressAllocationFailed failed && expected(waiters, failed.getPeerId())) {
                        peers.addressFailed(failed);
                    }
                });
    }

    private static boolean expected(AddressWaiters waiters, String peerId) {
        try {
            return waiters.isExpected(UUID.fromString(peerId));
        } catch (IllegalArgumentException e) {
            return false; // not a peer id of this registry; the group member dead-letters it
        }
    }

    @Override
    public String name() {
        return loop.name();
    }

    @Override
    public EventConsumerLoop.State state() {
        return loop.state();
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
