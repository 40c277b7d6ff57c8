package dev.wgcp.kit.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.List;

/**
 * {@code wgcp_consumer_lag_records{consumer}}: how far each of the service's group consumers is behind
 * its topics (what it knows from its own fetches), for the alert on a service that falls behind.
 */
@Context
@Requires(beans = MeterRegistry.class)
public class ConsumerLagMetrics {

    public ConsumerLagMetrics(List<GroupConsumer> consumers, MeterRegistry registry) {
        for (GroupConsumer c : consumers) {
            Gauge.builder("wgcp.consumer.lag", c, GroupConsumer::lag).baseUnit("records").tag("consumer", c.name())
                    .description("Records this service's consumer is behind the ends of its topics").register(registry);
        }
    }
}
