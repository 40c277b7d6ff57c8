package dev.wgcp.edge.messaging;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.Observations;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the interface on a timer and publishes HandshakeObserved for every registered peer whose
 * endpoint or latest handshake changed, so that roaming is seen without anyone running {@code wg show}.
 */
@Context
public class TelemetryReporter {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryReporter.class);

    private final AgentSettings settings;
    private final EventFollower follower;
    private final Interfaces interfaces;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final EventMetadataFactory metadata;
    /** Per interface: what was last reported of each peer, and the revision of each peer's observations. */
    private final Map<String, Map<String, LivePeer>> reported = new HashMap<>();
    private final Map<String, Long> revisions = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edge-telemetry");
        t.setDaemon(true);
        return t;
    });

    public TelemetryReporter(AgentSettings settings, Interfaces interfaces,
                             dev.wgcp.schemas.kafka.KafkaConnection kafka, dev.wgcp.schemas.signing.SigningKey signer,
                             @Value("${wgcp.kafka.schema-registry-url:`http://127.0.0.1:8081`}") String registryUrl,
                             EventFollower follower) {
        this.follower = follower;
        this.settings = settings;
        this.interfaces = interfaces;
        this.metadata = new EventMetadataFactory("edge-agent:" + settings.getEdgeId(), Clock.systemUTC());
        this.producer = Producers.events(kafka, new SchemaRegistryClient(registryUrl), "edge-agent-" + settings.getEdgeId() + "-telemetry", signer);
    }

    @PostConstruct
    void start() {
        timer.schedule(this::reportSafely, settings.getTelemetryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reportSafely() {
        long started = System.nanoTime();
        try {
            report();
        } catch (RuntimeException e) {
            LOG.warn("edge {}: telemetry pass failed, next one in {}: {}", settings.getEdgeId(),
                    settings.getTelemetryInterval(), e.getMessage());
        }
        try {
            timer.schedule(this::reportSafely, nextDelayMillis(settings.getTelemetryInterval(), System.nanoTime() - started),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down
        }
    }

    /**
     * The pause before the next pass: the configured interval, stretched to {@value #PASS_SHARE_DIVISOR}
     * times the last pass. Reading an interface makes the implementation serialize every peer while it
     * holds the lock that applies also need (about 30 ms at 10,000 peers on wireguard-go), so a large
     * interface is read less often rather than making every change wait behind a read.
     */
    static long nextDelayMillis(java.time.Duration interval, long lastPassNanos) {
        return Math.max(interval.toMillis(), TimeUnit.NANOSECONDS.toMillis(lastPassNanos) * PASS_SHARE_DIVISOR);
    }

    /** Telemetry takes at most 1/50 of the interface's time: 2 %. */
    static final long PASS_SHARE_DIVISOR = 50;

    /** One pass over every interface: publishes what changed since the last acknowledged report. */
    synchronized int report() {
        int sent = 0;
        RuntimeException failed = null;
        for (EdgeInterface i : interfaces.all()) {
            try {
                sent += report(i);
            } catch (RuntimeException e) {
                failed = e; // the other interfaces are still reported
            }
        }
        if (failed != null) {
            throw failed;
        }
        return sent;
    }

    private int report(EdgeInterface i) {
        String ifName = i.spec().name();
        Map<String, LivePeer> live = i.wireGuard().peers();
        if (live.isEmpty() && i.reconciler().expectsPeers()) {
            // Every peer gone at once: wireguard-go restarted (or someone flushed the interface). Put it back now, not at the next resync.
            follower.interfaceEmptied(i);
        }
        i.metrics().observed(live, Instant.now());
        Map<String, LivePeer> before = reported.computeIfAbsent(ifName, k -> new HashMap<>());
        List<LivePeer> changed = Observations.changed(before, live);
        int sent = 0;
        for (LivePeer peer : changed) {
            Optional<String> peerId = i.desired().peerIdOf(peer.publicKey());
            if (peerId.isEmpty()) {
                continue; // not one of ours; the reconciler removes it
            }
            long revision = revisions.merge(peer.publicKey(), 1L, Long::sum);
            HandshakeObserved event = HandshakeObserved.newBuilder()
                    .setMetadata(metadata.create("edge-agent:" + settings.getEdgeId(), revision))
                    .setPeerId(peerId.get())
                    .setPublicKey(peer.publicKey())
                    .setEdgeId(settings.getEdgeId())
                    .setInterfaceName(ifName)
                    .setEndpoint(peer.endpoint())
                    .setLatestHandshakeAt(peer.latestHandshakeEpochSeconds() == 0 ? null
                            : Instant.ofEpochSecond(peer.latestHandshakeEpochSeconds()))
                    .setRxBytes(peer.rxBytes())
                    .setTxBytes(peer.txBytes())
                    .setObservedAt(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .build();
            producer.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), peerId.get(), event), (md, e) -> {
                if (e != null) {
                    LOG.warn("{}: observation of peer {} not delivered, it is sent again: {}", ifName, event.getPeerId(), e.getMessage());
                    synchronized (this) {
                        before.remove(peer.publicKey());
                    }
                }
            });
            before.put(peer.publicKey(), peer);
            sent++;
        }
        before.keySet().retainAll(live.keySet());
        return sent;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
