package dev.wgcp.registry.service;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a registration request wait, bounded, for its peer's AddressAssigned. The waiter is registered
 * before the peer is written, so an event that arrives before the request starts waiting is not missed.
 */
@Singleton
public class AddressWaiters {

    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    public void expect(UUID peerId) {
        waiting.putIfAbsent(peerId, new CompletableFuture<>());
    }

    /** Waits up to {@code timeout}; true when the address arrived. Always forgets the waiter. */
    public boolean await(UUID peerId, Duration timeout) {
        CompletableFuture<Void> f = waiting.get(peerId);
        try {
            if (f == null) {
                return false;
            }
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        } finally {
            waiting.remove(peerId);
        }
    }

    public void forget(UUID peerId) {
        waiting.remove(peerId);
    }

    void arrived(UUID peerId) {
        CompletableFuture<Void> f = waiting.get(peerId);
        if (f != null) {
            f.complete(null);
        }
    }
}
