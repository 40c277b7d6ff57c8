package dev.wgcp.schemas;

import dev.wgcp.events.v1.EventMetadata;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Builds event envelopes for one producing service. */
public final class EventMetadataFactory {

    static {
        Topics.trustEventClasses();
    }

    private final String producer;
    private final Clock clock;

    public EventMetadataFactory(String producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public EventMetadata create(String actor, long revision) {
        return EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .setProducer(producer)
                .setActor(actor)
                .setRevision(revision)
                .build();
    }
}
