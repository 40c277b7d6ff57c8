package dev.wgcp.firewall.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PassSpacingTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void quickPassesAreSpacedByTheConfiguredInterval() {
        assertEquals(50 * MS, RulesetPublisher.spacingNanos(50 * MS, 2 * MS));
    }

    @Test
    void slowPassesAreSpacedByTenTimesTheirDurationSoCompilingTakesAtMostATenthOfACore() {
        assertEquals(300 * MS, RulesetPublisher.spacingNanos(50 * MS, 30 * MS));
        assertEquals(300 * MS, RulesetPublisher.spacingNanos(0, 30 * MS));
    }
}
