package dev.wgcp.firewall.messaging;

import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.firewall.config.FirewallEdgeProperties;
import dev.wgcp.firewall.domain.EdgeSpec;
import dev.wgcp.firewall.domain.FirewallPeer;
import dev.wgcp.firewall.domain.PolicySet;
import dev.wgcp.firewall.service.PolicyService;
import dev.wgcp.firewall.domain.Ruleset;
import dev.wgcp.firewall.domain.RulesetCompiler;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import dev.wgcp.schemas.projection.PeerProjection;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the peer projection and the rulesets already published from the topics at start, then
 * follows: after a batch that changed the peers, each edge's ruleset is compiled again and published
 * to the compacted ruleset topic only when its hash differs from the last one published. The
 * rulesets are derived state, so this service keeps no database of its own.
 *
 * <p>Compiling costs as much as the network has peers, so passes are coalesced: the first change
 * after a quiet spell is compiled at once, and changes that arrive while passes follow each other
 * closer than {@code wgcp.firewall.min-publish-interval}, or closer than ten times the last pass spent compiling,
 * are folded into the next pass. Under a burst of registrations that is one ruleset per interval
 * instead of one per polled batch, and compiling takes at most a tenth of a core however large the
 * network.
 */
@Context
public class RulesetPublisher implements dev.wgcp.kit.messaging.TopicFollower {

    private static final Logger LOG = LoggerFactory.getLogger(RulesetPublisher.class);

    private final List<EdgeSpec> edges = new ArrayList<>();
    private final PeerProjection peers = new PeerProjection();
    /** Each peer's latest public address (the host of its latest EndpointChanged), for allow-lists. */
    private final Map<String, dev.wgcp.events.v1.EndpointChanged> endpoints = new java.util.concurrent.ConcurrentHashMap<>();
    private final PolicyService policyService;
    private final FirewallMetrics metrics;
    /** Every network's groups, policies and allow-lists, reloaded when a FirewallPolicyChanged is read. */
    private volatile Map<String, PolicySet> policies = Map.of();
    private final Map<String, FirewallRulesetChanged> published = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each edge's latest ruleset acknowledgement (applied or refused), from its agent. */
    private final Map<String, dev.wgcp.events.v1.RulesetApplied> acked = new java.util.concurrent.ConcurrentHashMap<>();
    /** The edges' signing keys: an acknowledgement counts only when the edge it names signed it. */
    private final dev.wgcp.schemas.signing.EdgeKeys edgeKeys = new dev.wgcp.schemas.signing.EdgeKeys();
    /** A record and its event. */
    private record HeldAck(dev.wgcp.events.v1.RulesetApplied ack, org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
    }

    /**
     * Per edge, the acknowledgements read before the edge's key (the topics are replayed side by side):
     * checked when the key comes; the latest few only, since only the latest counts.
     */
    private final Map<String, java.util.Deque<HeldAck>> ackBeforeKey = new java.util.concurrent.ConcurrentHashMap<>();
    /** The texts of each edge's recent rulesets by hash, to show the one an edge last acknowledged. */
    private final Map<String, Map<String, String>> recentTexts = new java.util.concurrent.ConcurrentHashMap<>();
    private final EventConsumerLoop loop;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final DeadLetters deadLetters;
    private final EdgeWriters writers;
    private final EventMetadataFactory metadata = new EventMetadataFactory("firewall-sync", Clock.systemUTC());
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();
    /** A pass is scheduled and has not started: later changes are folded into it. */
    private final AtomicBoolean passPending = new AtomicBoolean();
    private final long minIntervalNanos;
    private volatile long lastPassStartedNanos = System.nanoTime() - Long.MAX_VALUE / 4;
    private volatile long lastPassNanos;
    /** The reading and compiling of the pass running now (publisher thread only). */
    private long compilingNanos;
    /** Compiles and publishes, one pass at a time, off the consumer thread. */
    private final ScheduledExecutorService passes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ruleset-publisher");
        t.setDaemon(true);
        return t;
    });

    public RulesetPublisher(List<FirewallEdgeProperties> edgeProperties,
                            dev.wgcp.schemas.kafka.KafkaConnection kafka, dev.wgcp.schemas.signing.SigningKey signer,
                            SchemaRegistryClient registry,
                            @Value("${wgcp.firewall.min-publish-interval:10ms}") Duration minPublishInterval,
                            PolicyService policyService, io.micrometer.core.instrument.MeterRegistry meters, DeadLetters deadLetters,
                            EdgeWriters writers) {
        this.writers = writers;
        this.policyService = policyService;
        this.metrics = new FirewallMetrics(meters);
        if (minPublishInterval.isNegative()) {
            throw new IllegalStateException("wgcp.firewall.min-publish-interval must be 0 or more, got " + minPublishInterval);
        }
        this.minIntervalNanos = minPublishInterval.toNanos();
        for (FirewallEdgeProperties e : edgeProperties) {
            String prefix = "wgcp.firewall.edges." + e.getId() + ".";
            List<EdgeSpec.Interface> interfaces = new ArrayList<>();
            try {
                if (!e.getInterfaces().isEmpty()) {
                    e.getInterfaces().forEach((name, network) -> interfaces.add(new EdgeSpec.Interface(name, network)));
                } else if (e.getNetwork() == null) {
                    throw new IllegalStateException(prefix + "network is not set: expected the network the edge serves (or "
                            + prefix + "interfaces: {<interface>: <network>, ...} for an edge with several)");
                } else {
                    interfaces.add(new EdgeSpec.Interface(e.getInterface(), e.getNetwork()));
                }
                edges.add(new EdgeSpec(e.getId(), interfaces));
            } catch (IllegalArgumentException bad) {
                throw new IllegalStateException(prefix + "interface(s): " + bad.getMessage(), bad);
            }
        }
        for (EdgeSpec edge : edges) {
            metrics.edge(edge.edgeId(), id -> published(id).map(r -> r.getMetadata().getRevision()).orElse(0L),
                    id -> acked(id).filter(dev.wgcp.events.v1.RulesetApplied::getApplied).map(a -> a.getRulesetRevision()).orElse(0L),
                    this::inSync);
        }
        this.producer = Producers.largeEvents(kafka, registry, "firewall-sync", signer);
        this.deadLetters = deadLetters;
        this.loop = EventConsumerLoop.replay(kafka, "firewall-sync", List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS,
                        Topics.RULESET_ACKS, Topics.ENDPOINTS, Topics.CONFIG),
                new EventDeserializer(registry), (event, record) -> {
                    if (event instanceof dev.wgcp.events.v1.FirewallPolicyChanged) {
                        if (caughtUp.get()) {
                            reloadPolicies();
                            requestPass();
                        }
                    } else if (event instanceof dev.wgcp.events.v1.EndpointChanged e) {
                        dev.wgcp.events.v1.EndpointChanged before = endpoints.get(e.getPeerId());
                        if (before == null || !e.getObservedAt().isBefore(before.getObservedAt())) {
                            endpoints.put(e.getPeerId(), e);
                            if (caughtUp.get() && (before == null || !host(before).equals(host(e))) && hasAllowLists()) {
                                requestPass();
                            }
                        }
                    } else if (event instanceof dev.wgcp.events.v1.RulesetApplied a) {
                        ack(a, record);
                    } else if (event instanceof dev.wgcp.events.v1.EdgeChanged e) {
                        edgeKeys.edgeChanged(e);
                        java.util.Deque<HeldAck> held = ackBeforeKey.remove(e.getEdgeId());
                        if (held != null) {
                            held.forEach(h -> ack(h.ack(), h.record()));
                        }
                    } else if (event instanceof FirewallRulesetChanged r) {
                        remember(r);
                        published.merge(r.getEdgeId(), r, (a, b) -> b.getMetadata().getRevision() >= a.getMetadata().getRevision() ? b : a);
                    } else if (peers.apply(event) && caughtUp.get() && mayChangeRulesets(event)) {
                        requestPass();
                    }
                }, deadLetters, new EventConsumerLoop.Listener() {
                    @Override
                    public void caughtUp() {
                        caughtUp.set(true);
                        passes.execute(() -> {
                            reloadPolicies();
                            pass();
                            ready.set(true);
                        });
                    }
                });
    }

    @PostConstruct
    void start() {
        // An edge taken over from another instance (or at the start) is compiled and compared at once.
        writers.onAcquired(() -> {
            if (caughtUp.get()) {
                requestPass();
            }
        });
        loop.start();
    }

    /** Reads every network's definitions again; on failure the ones held stay (and the next change tries again). */
    private void reloadPolicies() {
        try {
            policies = Map.copyOf(policyService.all());
        } catch (RuntimeException e) {
            LOG.error("cannot read the firewall policies ({}); compiling with the ones read before", e.getMessage());
        }
    }

    private boolean hasAllowLists() {
        return policies.values().stream().anyMatch(p -> !p.allowLists().isEmpty());
    }

    /** The host of an endpoint (host:port or [v6]:port). */
    static String host(dev.wgcp.events.v1.EndpointChanged e) {
        String ep = e.getNewEndpoint();
        int colon = ep.lastIndexOf(':');
        String host = colon > 0 ? ep.substring(0, colon) : ep;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Whether an event that changed the projection can change a ruleset, which holds addresses and
     * groups: a registration does when its address came first (the topics are read side by side), an
     * update only where the network has groups (its tags may move it), a rotation never does. Skipping the others keeps the pass spacing for the event that matters: a
     * registration's AddressAssigned follows its PeerRegistered by milliseconds, and a pass spent on
     * the registration would make the address wait out the spacing.
     */
    private boolean mayChangeRulesets(org.apache.avro.specific.SpecificRecord event) {
        if (event instanceof dev.wgcp.events.v1.PeerRegistered r) {
            return peers.activeByKey(r.getNetworkId(), r.getPublicKey()).isPresent();
        }
        if (event instanceof dev.wgcp.events.v1.PeerUpdated u) {
            return !policies.getOrDefault(u.getNetworkId(), PolicySet.EMPTY).groups().isEmpty(); // tags choose groups
        }
        return !(event instanceof dev.wgcp.events.v1.KeyRotated);
    }

    /** Keeps the text of an edge's ruleset by hash (the last ten per edge). */
    private void remember(FirewallRulesetChanged r) {
        Map<String, String> texts = recentTexts.computeIfAbsent(r.getEdgeId(), e -> java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                        return size() > 10;
                    }
                }));
        texts.put(r.getSha256(), r.getRuleset());
    }

    /**
     * Takes an agent's acknowledgement when the edge it names signed it: another edge's credentials,
     * or a forger's, cannot make an edge look in sync. One read before the edge's key is held until
     * the key arrives; any other is counted ({@code wgcp_firewall_acks_refused_total}) and ignored.
     */
    private void ack(dev.wgcp.events.v1.RulesetApplied a, org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        if (!edgeKeys.hasKey(a.getEdgeId())) {
            java.util.Deque<HeldAck> held = ackBeforeKey.computeIfAbsent(a.getEdgeId(), k -> new java.util.ArrayDeque<>());
            held.addLast(new HeldAck(a, record));
            if (held.size() > 16) {
                held.removeFirst();
            }
            return;
        }
        dev.wgcp.schemas.signing.TrustedKeys.Refusal refusal = edgeKeys.check(a.getEdgeId(), record.topic(), record.headers(), record.value());
        if (refusal != null) {
            metrics.ackRefused(a.getEdgeId(), refusal.reason().label());
            LOG.warn("ignored ruleset acknowledgement {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), refusal.message());
            return;
        }
        acked.merge(a.getEdgeId(), a, (x, y) -> y.getAppliedAt().isBefore(x.getAppliedAt()) ? x : y);
    }

    /** The edge's latest ruleset acknowledgement from its agent, if any. */
    public Optional<dev.wgcp.events.v1.RulesetApplied> acked(String edgeId) {
        return Optional.ofNullable(acked.get(edgeId));
    }

    /** The text of a recent ruleset of the edge, by hash. */
    public Optional<String> text(String edgeId, String sha256) {
        return Optional.ofNullable(recentTexts.getOrDefault(edgeId, Map.of()).get(sha256));
    }

    /** Schedules a pass unless one is pending: at once after a quiet spell, else one interval after the last. */
    private void requestPass() {
        if (passPending.compareAndSet(false, true)) {
            long wait = Math.max(0, lastPassStartedNanos + spacingNanos(minIntervalNanos, lastPassNanos) - System.nanoTime());
            try {
                passes.schedule(this::pass, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                passPending.set(false); // shutting down
            }
        }
    }

    private void pass() {
        // Cleared before reading the projection: a change from now on schedules another pass.
        passPending.set(false);
        lastPassStartedNanos = System.nanoTime();
        compilingNanos = 0;
        try {
            publishChanged();
        } catch (RuntimeException e) {
            LOG.error("ruleset pass failed, retrying: {}", e.getMessage(), e);
            requestPass();
        } finally {
            // What a pass costs is the compiling; waits on the database or the brokers are not (a pass that waited 2.5 s for
            // a restarted PostgreSQL held the next one back 25 s, while peers kept coming).
            lastPassNanos = compilingNanos;
        }
    }

    /** How far apart two passes start at least: the configured interval, or ten times the last pass's compiling. */
    static long spacingNanos(long minIntervalNanos, long lastPassNanos) {
        return Math.max(minIntervalNanos, 10 * lastPassNanos);
    }

    /** Compiles every edge's ruleset and publishes those whose hash changed. Runs on the publisher thread only. */
    private void publishChanged() {
        for (EdgeSpec edge : edges) {
            long compileStarted = System.nanoTime();
            // A peer in another edge's address segment never arrives on this edge: no rule for it here.
            Map<String, List<FirewallPeer>> byNetwork = new java.util.HashMap<>();
            int activeCount = 0;
            for (EdgeSpec.Interface i : edge.interfaces()) {
                List<FirewallPeer> firewallPeers = peers.active(i.networkId()).stream().filter(p -> p.servedBy(edge.edgeId()))
                        .map(p -> new FirewallPeer(p.peerId(), p.ipv4Address(), p.ipv6Address(), java.util.Set.copyOf(peers.tagsOf(p.peerId())),
                                java.util.Optional.ofNullable(endpoints.get(p.peerId())).map(RulesetPublisher::host).orElse(null)))
                        .toList();
                if (byNetwork.put(i.networkId(), firewallPeers) == null) {
                    activeCount += firewallPeers.size();
                }
            }
            Ruleset ruleset = RulesetCompiler.compile(edge, byNetwork, policies);
            long compiled = System.nanoTime() - compileStarted;
            compilingNanos += compiled;
            metrics.compiled(edge.edgeId(), compiled);
            FirewallRulesetChanged last = published.get(edge.edgeId());
            if (last != null && last.getSha256().equals(ruleset.sha256())) {
                continue;
            }
            // Only the holder of the edge's lease writes its rulesets, with a revision the database hands out.
            java.util.OptionalLong next = writers.nextRevision(edge.edgeId(), last == null ? 0 : last.getMetadata().getRevision());
            if (next.isEmpty()) {
                continue;
            }
            long revision = next.getAsLong();
            FirewallRulesetChanged event = FirewallRulesetChanged.newBuilder()
                    .setMetadata(metadata.create("firewall-sync", revision))
                    .setEdgeId(edge.edgeId())
                    .setTable(ruleset.table())
                    .setAllowedAddresses(ruleset.allowedAddresses())
                    .setRuleset(ruleset.text())
                    .setSha256(ruleset.sha256())
                    .build();
            try {
                producer.send(new ProducerRecord<>(Topics.RULESETS.name(), edge.edgeId(), event)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Not published: the next pass (one interval later, or the restart) compiles and compares again.
                LOG.error("ruleset revision {} for edge {} not published, retrying: {}", revision, edge.edgeId(), e.getMessage());
                requestPass();
                return;
            }
            published.put(edge.edgeId(), event);
            remember(event);
            metrics.published(edge.edgeId());
            LOG.info("ruleset revision {} for edge {} published ({} active peers, sha256 {})", revision, edge.edgeId(),
                    activeCount, ruleset.sha256().substring(0, 12));
        }
    }

    /** Whether the edge's agent applied the ruleset the edge should have (its latest acknowledgement, applied, same hash). */
    public boolean inSync(String edgeId) {
        FirewallRulesetChanged want = published.get(edgeId);
        dev.wgcp.events.v1.RulesetApplied ack = acked.get(edgeId);
        return want != null && ack != null && ack.getApplied() && ack.getSha256().equals(want.getSha256());
    }

    /** Whether the topics were read to their end and every edge's ruleset compiled and compared once. */
    public boolean isReady() {
        return ready.get();
    }

    @Override
    public String name() {
        return loop.name();
    }

    /** Catching up until the topics were read to their end and every edge's ruleset compiled once. */
    @Override
    public EventConsumerLoop.State state() {
        EventConsumerLoop.State state = loop.state();
        return state == EventConsumerLoop.State.FOLLOWING && !ready.get() ? EventConsumerLoop.State.CATCHING_UP : state;
    }

    /** The last ruleset published for {@code edgeId}, if any. */
    public java.util.Optional<FirewallRulesetChanged> published(String edgeId) {
        return java.util.Optional.ofNullable(published.get(edgeId));
    }

    @PreDestroy
    void stop() {
        loop.close();
        passes.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
