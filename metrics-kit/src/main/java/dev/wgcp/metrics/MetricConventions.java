package dev.wgcp.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;

/**
 * What every wgcp service's {@code /prometheus} shows the same way, clean under {@code promtool check
 * metrics}: the framework's timers get help texts, and two process meters that break Prometheus'
 * naming rules (and say nothing {@code process_cpu_usage} and the JVM's own do not) are left out.
 * Our own meters are named {@code wgcp.<service>.<what>} (Prometheus: {@code wgcp_<service>_<what>},
 * counters ending {@code _total}); docs/metrics.md lists them.
 */
@Factory
public class MetricConventions {

    /** Framework meters without a description, and what they measure. */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            "http.server.requests", "HTTP requests served, by method, path template and status",
            "http.client.requests", "HTTP requests made, by method, host and status",
            "executor", "Time tasks took on the service's executors");

    /** Left out: system_cpu_count (a "_count" suffix on a gauge) and process_cpu_time_ns_total (an abbreviated unit). */
    static final Set<String> LEFT_OUT = Set.of("system.cpu.count", "process.cpu.time");

    @Singleton
    MeterFilter leaveOut() {
        return MeterFilter.deny(id -> LEFT_OUT.contains(id.getName()));
    }

    @Singleton
    MeterFilter describe() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = DESCRIPTIONS.get(id.getName());
                return description != null && (id.getDescription() == null || id.getDescription().isBlank())
                        ? new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType()) : id;
            }
        };
    }
}
