package dev.wgcp.kit.outbox;

import io.micronaut.core.annotation.Introspected;

/** What waits in the outbox: rows not sent yet, the age of the oldest, rows set aside. */
@Introspected
public record OutboxBacklog(long waiting, double oldestAgeSeconds, long parked) {
}
