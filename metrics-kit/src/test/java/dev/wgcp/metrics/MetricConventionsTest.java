package dev.wgcp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricConventionsTest {

    @Test
    void frameworkTimersGetHelpTextsAndMisnamedProcessMetersAreLeftOut() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MetricConventions conventions = new MetricConventions();
        registry.config().meterFilter(conventions.leaveOut()).meterFilter(conventions.describe());
        Timer.builder("http.server.requests").tag("uri", "/v1/x").register(registry);
        Timer.builder("wgcp.agent.apply.duration").description("ours").register(registry);
        Gauge.builder("system.cpu.count", () -> 2).register(registry);

        assertEquals(MetricConventions.DESCRIPTIONS.get("http.server.requests"), registry.get("http.server.requests").timer().getId().getDescription());
        assertEquals("ours", registry.get("wgcp.agent.apply.duration").timer().getId().getDescription(), "a description given stays");
        assertNull(registry.find("system.cpu.count").gauge());
    }
}
