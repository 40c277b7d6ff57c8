package dev.wgcp.edge.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TelemetryPacingTest {

    @Test
    void aQuickReadKeepsTheConfiguredInterval() {
        assertEquals(2_000, TelemetryReporter.nextDelayMillis(Duration.ofSeconds(2), TimeUnit.MILLISECONDS.toNanos(3)));
    }

    @Test
    void aSlowReadStretchesTheIntervalSoReadsTakeAtMostTwoPercent() {
        assertEquals(2_500, TelemetryReporter.nextDelayMillis(Duration.ofSeconds(2), TimeUnit.MILLISECONDS.toNanos(50)));
        assertEquals(10_000, TelemetryReporter.nextDelayMillis(Duration.ofSeconds(2), TimeUnit.MILLISECONDS.toNanos(200)));
    }
}
