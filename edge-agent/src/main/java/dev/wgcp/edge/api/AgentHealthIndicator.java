package dev.wgcp.edge.api;

import dev.wgcp.edge.messaging.EventFollower;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code /health} is DOWN until the agent has rebuilt its desired state from the topics (an agent
 * that starts while the brokers are away waits for them, and is not ready meanwhile), and DOWN for
 * good when its consumer stopped after a fatal error: a supervisor restarts it instead of trusting it.
 */
@Singleton
public class AgentHealthIndicator implements HealthIndicator {

    private final EventFollower follower;

    public AgentHealthIndicator(EventFollower follower) {
        this.follower = follower;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        EventConsumerLoop.State state = follower.state();
        return io.micronaut.core.async.publisher.Publishers.just(HealthResult.builder("events", state == EventConsumerLoop.State.FOLLOWING ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of(follower.name(), state.label())).build());
    }
}
