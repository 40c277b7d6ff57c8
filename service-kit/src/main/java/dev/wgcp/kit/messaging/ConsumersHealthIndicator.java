package dev.wgcp.kit.messaging;

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
 * service that silently stopped consuming is seen and restarted instead of looking healthy.
 */
@Singleton
@Requires(classes = HealthIndicator.class)
public class ConsumersHealthIndicator implements HealthIndicator {

    private final List<GroupConsumer> consumers;

    public ConsumersHealthIndicator(List<GroupConsumer> consumers) {
        this.consumers = consumers;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, String> details = new LinkedHashMap<>();
        boolean up = true;
        for (GroupConsumer c : consumers) {
            boolean alive = c.isAlive();
            up &= alive;
            details.put(c.name(), alive ? "following" : "stopped");
        }
        return Mono.just(HealthResult.builder("kafka-consumers", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
