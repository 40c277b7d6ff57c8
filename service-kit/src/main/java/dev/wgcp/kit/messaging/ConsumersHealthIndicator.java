package dev.wgcp.kit.messaging;

import dev.wgcp.schemas.consumer.EventConsumerLoop;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * {@code /health} says DOWN when a listener stopped following its topics (a fatal Kafka error), so a
 * service that silently stopped consuming is seen and restarted instead of looking healthy, and while
 * a replaying one has not caught up with its topics' history (its state is not whole yet: a load
 * balancer or a rolling restart waits for it).
 */
@Singleton
@Requires(classes = HealthIndicator.class)
public class ConsumersHealthIndicator implements HealthIndicator {

    private final List<TopicFollower> consumers;

    public ConsumersHealthIndicator(List<TopicFollower> consumers) {
        this.consumers = consumers;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, String> details = new LinkedHashMap<>();
        boolean up = true;
        for (TopicFollower c : consumers) {
            EventConsumerLoop.State state = c.state();
            up &= state == EventConsumerLoop.State.FOLLOWING;
            details.put(c.name(), state.label());
        }
        return Mono.just(HealthResult.builder("kafka-consumers", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
