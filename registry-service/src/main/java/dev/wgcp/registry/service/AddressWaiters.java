package dev.wgcp.registry.service;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lets a registration request wait, bounded, for its peer's AddressAssigned without holding a
 * thread: the request gets a future that the address listener completes after its transaction
 * committed. The waiter is registered before the peer is written, so an event that arrives before the
 * request starts waiting is not missed.
 */
@Singleton
public class AddressWaiters {

    /**
     * The addresses an AddressAssigned gave a peer (from the segment of {@code edge}, if any), at
     * ipam-service's revision; or, with {@code error},
     * why ipam-service could not give it any (AddressAllocationFailed).
     */
    public record Addresses(String ipv4, String ipv6, long revision, String error, String edge) {

        public Addresses(String ipv4, String ipv6, long revision) {
            this(ipv4, ipv6, revision, null, null);
        }
    }

    private final Map<UUID, CompletableFuture<Optional<Addresses>>> waiting = new ConcurrentHashMap<>();

    public void expect(UUID peerId) {
        waiting.putIfAbsent(peerId, new CompletableFuture<>());
    }

    /**
     * Completes with the addresses when they arrive within {@code timeout}, else with empty; the
     * waiter is forgotten either way. Empty at once for a peer nobody expected.
     */
    public CompletableFuture<Optional<Addresses>> await(UUID peerId, Duration timeout) {
        CompletableFuture<Optional<Addresses>> f = waiting.get(peerId);
        if (f == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return f.completeOnTimeout(Optional.empty(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((a, e) -> waiting.remove(peerId));
    }

    /** Whether a registration of this instance waits for the peer's address now. */
    public boolean isExpected(UUID peerId) {
        return waiting.containsKey(peerId);
    }

    public void forget(UUID peerId) {
        waiting.remove(peerId);
    }

    void arrived(UUID peerId, Addresses addresses) {
        CompletableFuture<Optional<Addresses>> f = waiting.get(peerId);
        if (f != null) {
            f.complete(Optional.of(addresses));
        }
    }

    /** Requests waiting now (for tests and metrics). */
    public int size() {
        return waiting.size();
    }
}
