package dev.wgcp.ipam.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code wgcp.ipam.*}: how addresses are recycled and when to warn. */
@ConfigurationProperties("wgcp.ipam")
public class IpamSettings {

    /**
     * How long a released address (of a deleted peer, or a lifted reservation) stays out of use, so
     * that a stale firewall rule, DNS record or monitoring entry never points at a new peer.
     */
    private Duration quarantine = Duration.ofDays(1);
    /** Share of a pool (allocated plus reserved, 0..1) at which ipam warns that it is filling up. */
    private double warnUtilisation = 0.9;
    /** How often pool usage is read for the metrics. */
    private Duration metricsInterval = Duration.ofSeconds(15);

    public Duration getQuarantine() {
        return quarantine;
    }

    public void setQuarantine(Duration quarantine) {
        if (quarantine == null || quarantine.isNegative()) {
            throw new IllegalArgumentException("wgcp.ipam.quarantine must be a duration of zero or more, e.g. P7D or PT1H");
        }
        this.quarantine = quarantine;
    }

    public double getWarnUtilisation() {
        return warnUtilisation;
    }

    public void setWarnUtilisation(double warnUtilisation) {
        if (!(warnUtilisation > 0 && warnUtilisation <= 1)) {
            throw new IllegalArgumentException("wgcp.ipam.warn-utilisation must be a share above 0 and at most 1, e.g. 0.9; got " + warnUtilisation);
        }
        this.warnUtilisation = warnUtilisation;
    }

    public Duration getMetricsInterval() {
        return metricsInterval;
    }

    public void setMetricsInterval(Duration metricsInterval) {
        this.metricsInterval = metricsInterval;
    }
}
