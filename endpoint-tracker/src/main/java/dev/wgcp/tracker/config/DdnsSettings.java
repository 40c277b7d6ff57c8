package dev.wgcp.tracker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code wgcp.tracker.ddns.*}: how DNS updates are sent and retried (zones are under {@code zones.<key>}). */
@ConfigurationProperties("wgcp.tracker.ddns")
public class DdnsSettings {

    /** How often due updates are looked for. */
    private Duration pollInterval = Duration.ofMillis(500);
    /** The first retry after a failed update; doubled after each failure up to {@link #retryMax}. */
    private Duration retryMin = Duration.ofSeconds(1);
    private Duration retryMax = Duration.ofMinutes(5);

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getRetryMin() {
        return retryMin;
    }

    public void setRetryMin(Duration retryMin) {
        this.retryMin = retryMin;
    }

    public Duration getRetryMax() {
        return retryMax;
    }

    public void setRetryMax(Duration retryMax) {
        this.retryMax = retryMax;
    }

    /** The pause before attempt {@code attempts + 1} after {@code attempts} failures in a row. */
    public Duration backoff(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = retryMin.multipliedBy(factor);
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }
}
