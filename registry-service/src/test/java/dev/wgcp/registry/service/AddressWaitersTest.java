package dev.wgcp.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AddressWaitersTest {

    private final AddressWaiters waiters = new AddressWaiters();
    private final AddressWaiters.Addresses addresses = new AddressWaiters.Addresses("10.0.0.2", null, 1);

    @Test
    void anAddressThatArrivesBeforeTheWaitIsNotMissed() throws Exception {
        UUID id = UUID.randomUUID();
        waiters.expect(id);
        waiters.arrived(id, addresses);
        assertEquals(Optional.of(addresses), waiters.await(id, Duration.ofSeconds(5)).get(1, TimeUnit.SECONDS));
        assertEquals(0, waiters.size(), "forgotten once answered");
    }

    @Test
    void anAddressThatArrivesWhileWaitingCompletesTheWait() throws Exception {
        UUID id = UUID.randomUUID();
        waiters.expect(id);
        var pending = waiters.await(id, Duration.ofSeconds(30));
        assertTrue(!pending.isDone());
        waiters.arrived(id, addresses);
        assertEquals(Optional.of(addresses), pending.get(1, TimeUnit.SECONDS));
        assertEquals(0, waiters.size());
    }

    @Test
    void aWaitThatTimesOutAnswersEmptyAndIsForgotten() throws Exception {
        UUID id = UUID.randomUUID();
        waiters.expect(id);
        assertEquals(Optional.empty(), waiters.await(id, Duration.ofMillis(20)).get(5, TimeUnit.SECONDS));
        assertEquals(0, waiters.size());
        waiters.arrived(id, addresses); // late: nobody waits any more, nothing breaks
        assertEquals(0, waiters.size());
    }

    @Test
    void waitingForAPeerNobodyExpectedAnswersEmptyAtOnce() throws Exception {
        assertEquals(Optional.empty(), waiters.await(UUID.randomUUID(), Duration.ofSeconds(30)).get(1, TimeUnit.SECONDS));
    }
}
