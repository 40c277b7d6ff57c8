package dev.wgcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        Stats s = new Stats();
        for (int i = 100; i >= 1; i--) {
            s.add(i);
        }
        assertEquals(50, s.percentile(50));
        assertEquals(99, s.percentile(99));
        assertEquals(100, s.max());
        assertEquals(1, s.percentile(0.5));
    }

    @Test
    void emptyStatsAreNaN() {
        assertTrue(Double.isNaN(new Stats().percentile(50)));
    }
}
