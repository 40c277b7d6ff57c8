package dev.wgcp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Meters that services and agents both show, built in one place so that their names and help agree. */
public final class SharedMeters {

    private SharedMeters() {
    }

    /** {@code wgcp_dead_letters_total{consumer,topic}}: records {@code consumer} dead-lettered from {@code topic} (alert WgcpDeadLetters). */
    public static Counter deadLetters(MeterRegistry registry, String consumer, String topic) {
        return Counter.builder("wgcp.dead.letters").tag("consumer", consumer).tag("topic", topic)
                .description("Records a consumer dead-lettered (undecodable, refused, or failing its handler), by source topic")
                .register(registry);
    }
}
