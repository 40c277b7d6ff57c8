package dev.wgcp.schemas.consumer;

import java.time.Duration;

/**
 * How a service instance is a member of its consumer group, chosen for fast recovery
 * (docs/reliability.md): a dead member is found after {@code sessionTimeout} (6 s, the brokers'
 * default minimum, instead of Kafka's 45 s), partitions move with the cooperative sticky assignor (the
 * survivors keep theirs while the dead one's are handed out), and with an {@code instanceId} the member
 * is static: restarted within the session timeout, it takes its partitions back at once, with no
 * rebalance.
 *
 * @param instanceId unique per running instance of the service (two with the same id fence each other),
 *                   or null for a dynamic member
 */
public record GroupMembership(Duration sessionTimeout, String instanceId) {

    /** 6 s, dynamic. */
    public static final GroupMembership DEFAULT = new GroupMembership(Duration.ofSeconds(6), null);

    public GroupMembership {
        if (sessionTimeout == null || sessionTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("the consumer session timeout must be at least 1 s (brokers accept 6 s to 30 min"
                    + " by default), got " + sessionTimeout);
        }
        if (instanceId != null && instanceId.isBlank()) {
            instanceId = null;
        }
        if (instanceId != null && !instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("the consumer instance id must be 1 to 200 letters, digits, '.', '_' or '-', got '"
                    + instanceId + "'");
        }
    }

    /** A third of the session timeout, as Kafka advises. */
    public Duration heartbeatInterval() {
        return sessionTimeout.dividedBy(3);
    }
}
