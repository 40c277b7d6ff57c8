package dev.wgcp.kit.messaging;

import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.List;

/**
 * The service's consumers for the alerts: {@code wgcp_consumer_lag_records{consumer}}, how far each
 * group consumer is behind its topics (what it knows from its own fetches);
 * {@code wgcp_consumer_following{consumer}}, 1 while a consumer follows its topics (0: stopped, or a
 * replay still catching up); {@code wgcp_dead_letters_total{consumer,topic}}, records dead-lettered.
 */
@Context
@Requires(beans = MeterRegistry.class)
public class ConsumerLagMetrics {

    public ConsumerLagMetrics(List<GroupConsumer> consumers, List<TopicFollower> followers, List<DeadLetters> deadLetters,
                              MeterRegistry registry) {
        for (GroupConsumer c : consumers) {
            Gauge.builder("wgcp.consumer.lag", c, GroupConsumer::lag).baseUnit("records").tag("consumer", c.name())
                    .description("Records this service's consumer is behind the ends of its topics").register(registry);
        }
        for (TopicFollower f : followers) {
            Gauge.builder("wgcp.consumer.following", f, c -> c.state() == EventConsumerLoop.State.FOLLOWING ? 1 : 0).tag("consumer", f.name())
                    .description("1 while this consumer follows its topics; 0 when it stopped or is still catching up").register(registry);
        }
        for (DeadLetters d : deadLetters) {
            countInto(d, registry);
        }
    }

    /** Counts what {@code deadLetters} sends, by source topic, in {@code wgcp_dead_letters_total}. */
    public static void countInto(DeadLetters deadLetters, MeterRegistry registry) {
        deadLetters.onSent(topic -> dev.wgcp.metrics.SharedMeters.deadLetters(registry, deadLetters.consumerName(), topic).increment());
    }
}
