package dev.wgcp.kit.messaging;

import dev.wgcp.schemas.consumer.EventConsumerLoop;

/** Something in a service that follows topics with an {@link EventConsumerLoop}; {@code /health} reports each. */
public interface TopicFollower {

    String name();

    EventConsumerLoop.State state();
}
