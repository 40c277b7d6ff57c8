package dev.wgcp.tracker.service;

import dev.wgcp.tracker.config.DdnsSettings;
import dev.wgcp.tracker.dns.DnsUpdateClient;
import dev.wgcp.tracker.dns.DnsZone;
import dev.wgcp.tracker.dns.DnsZones;
import dev.wgcp.tracker.domain.DnsRecord;
import dev.wgcp.tracker.persistence.DnsRecordStore;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due DNS updates. A name is claimed before its update goes out, so only one worker (of
 * however many tracker instances) sends it, and what is sent is the latest wish: a failed update is
 * retried with back-off and never lost (the wish is in PostgreSQL), and an older endpoint is never
 * sent after a newer one.
 */
@Singleton
public class DdnsWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DdnsWorker.class);
    private static final int BATCH = 50;

    private final DnsRecordStore records;
    private final DnsZones zones;
    private final DnsUpdateClient client = new DnsUpdateClient();
    private final DdnsSettings settings;
    private final TrackerMetrics metrics;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    public DdnsWorker(DnsRecordStore records, DnsZones zones, DdnsSettings settings, TrackerMetrics metrics,
                      TransactionOperations<Connection> tx, Clock clock) {
        this.records = records;
        this.zones = zones;
        this.settings = settings;
        this.metrics = metrics;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${wgcp.tracker.ddns.poll-interval:500ms}", initialDelay = "1s")
    void scheduled() {
        if (zones.all().isEmpty()) {
            return;
        }
        try {
            int sent;
            do {
                sent = sendDue();
            } while (sent == BATCH);
            java.util.Map<String, Long> pending = new java.util.TreeMap<>();
            zones.all().forEach(z -> pending.put(z.key(), 0L)); // every configured zone shows, 0 when all is current
            pending.putAll(tx.executeRead(s -> records.pendingByZone()));
            metrics.dnsPending(pending);
        } catch (RuntimeException e) {
            LOG.warn("DNS update pass failed, tried again in {}: {}", settings.getPollInterval(), e.getMessage());
        }
    }

    /** Sends every update due now; returns how many were tried. */
    public int sendDue() {
        Instant now = clock.instant();
        // A claim outlives the slowest possible send of the batch, so nobody else takes the names meanwhile.
        Duration longest = zones.all().stream().map(DnsZone::timeout).max(Duration::compareTo).orElse(Duration.ofSeconds(5));
        List<DnsRecord> due = tx.executeWrite(s -> records.claimDue(now, now.plus(longest.multipliedBy(BATCH + 1L)), BATCH));
        for (DnsRecord r : due) {
            send(r);
        }
        return due.size();
    }

    private void send(DnsRecord r) {
        Optional<DnsZone> zone = zones.byKey(r.zoneKey());
        DnsUpdateClient.Result result = zone.isPresent()
                ? client.send(zone.get(), r.name(), r.addresses(), r.port())
                : new DnsUpdateClient.Result(DnsUpdateClient.Outcome.REFUSED, "zone " + r.zoneKey()
                        + " is no longer configured (wgcp.tracker.ddns.zones." + r.zoneKey() + ")");
        Instant now = clock.instant();
        metrics.dnsUpdate(r.zoneKey(), result.outcome().name().toLowerCase(Locale.ROOT));
        if (result.ok()) {
            tx.executeWrite(s -> {
                records.applied(r.name(), r.version(), now);
                return null;
            });
            LOG.info("DNS {}: {}{}", r.name(), r.addresses().isEmpty() ? "deleted" : String.join(", ", r.addresses()),
                    r.addresses().isEmpty() || r.port() == null ? "" : " port " + r.port());
            return;
        }
        Duration wait = settings.backoff(r.attempts() + 1);
        tx.executeWrite(s -> {
            records.failed(r.name(), result.detail(), now.plus(wait), now);
            return null;
        });
        LOG.warn("DNS update of {} failed ({} attempt{}), next try in {}: {}", r.name(), r.attempts() + 1,
                r.attempts() == 0 ? "" : "s", wait, result.detail());
    }
}
