package dev.wgcp.tracker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code wgcp.tracker.*}: how endpoint-tracker judges presence and churn, and how long it keeps history. */
@ConfigurationProperties("wgcp.tracker")
public class TrackerSettings {

    /** Online while the latest handshake is at most this old: WireGuard's RejectAfterTime. */
    private Duration onlineWindow = Duration.ofSeconds(180);
    /** How often peers are checked for going stale. */
    private Duration presenceCheckInterval = Duration.ofSeconds(5);
    /** More than this many endpoint changes (roams and NAT rebindings) within {@link #churnWindow} is churn. */
    private int churnMaxChanges = 10;
    private Duration churnWindow = Duration.ofMinutes(10);
    /** Endpoint history older than this is deleted. */
    private Duration historyRetention = Duration.ofDays(30);
    /** How long an observation of a peer not yet known here waits for its registration. */
    private Duration pendingFor = Duration.ofMinutes(10);

    public Duration getOnlineWindow() {
        return onlineWindow;
    }

    public void setOnlineWindow(Duration onlineWindow) {
        this.onlineWindow = positive("wgcp.tracker.online-window", onlineWindow);
    }

    public Duration getPresenceCheckInterval() {
        return presenceCheckInterval;
    }

    public void setPresenceCheckInterval(Duration presenceCheckInterval) {
        this.presenceCheckInterval = positive("wgcp.tracker.presence-check-interval", presenceCheckInterval);
    }

    public int getChurnMaxChanges() {
        return churnMaxChanges;
    }

    public void setChurnMaxChanges(int churnMaxChanges) {
        if (churnMaxChanges < 1) {
            throw new IllegalArgumentException("wgcp.tracker.churn-max-changes is " + churnMaxChanges + ": expected 1 or more");
        }
        this.churnMaxChanges = churnMaxChanges;
    }

    public Duration getChurnWindow() {
        return churnWindow;
    }

    public void setChurnWindow(Duration churnWindow) {
        this.churnWindow = positive("wgcp.tracker.churn-window", churnWindow);
    }

    public Duration getHistoryRetention() {
        return historyRetention;
    }

    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = positive("wgcp.tracker.history-retention", historyRetention);
    }

    public Duration getPendingFor() {
        return pendingFor;
    }

    public void setPendingFor(Duration pendingFor) {
        this.pendingFor = positive("wgcp.tracker.pending-for", pendingFor);
    }

    private static Duration positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " is " + d + ": expected a positive duration such as 180s or 10m");
        }
        return d;
    }
}
