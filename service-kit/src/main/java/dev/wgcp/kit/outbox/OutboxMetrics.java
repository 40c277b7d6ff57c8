package dev.wgcp.kit.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;

/** The outbox's backlog as gauges: what waits, how old the oldest is, what was set aside (alerts: WgcpOutbox*). */
final class OutboxMetrics {

    private final AtomicReference<OutboxBacklog> last = new AtomicReference<>(new OutboxBacklog(0, 0, 0));

    OutboxMetrics(MeterRegistry meters) {
        Gauge.builder("wgcp.outbox.backlog", last, l -> l.get().waiting()).baseUnit("events")
                .description("Events in this service's outbox not sent to Kafka yet").register(meters);
        Gauge.builder("wgcp.outbox.oldest.age", last, l -> l.get().oldestAgeSeconds()).baseUnit("seconds")
                .description("Age of the oldest event in this service's outbox not sent yet (0 when none)").register(meters);
        Gauge.builder("wgcp.outbox.parked", last, l -> l.get().parked()).baseUnit("events")
                .description("Outbox rows the relay set aside because this build cannot read them (kept, never sent)").register(meters);
    }

    void update(OutboxBacklog backlog) {
        last.set(backlog);
    }
}
