package dev.wgcp.firewall.messaging;

import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.firewall.config.FirewallEdgeProperties;
import dev.wgcp.firewall.domain.EdgeSpec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the peer projection and the rulesets already published from the topics at start, then
 * follows: after every batch that changed the peers, each edge's ruleset is compiled again and
 * published to the compacted ruleset topic only when its hash differs from the last one published.
 * The rulesets are derived state, so this service keeps no database of its own.
 */
@Context
public class RulesetPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(RulesetPublisher.class);

    private final List<EdgeSpec> edges = new ArrayList<>();
    private final PeerProjection peers = new PeerProjection();
    private final Map<String, FirewallRulesetChanged> published = new java.util.concurrent.ConcurrentHashMap<>();
    private final EventConsumerLoop loop;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final DeadLetters deadLetters;
    private final EventMetadataFactory metadata = new EventMetadataFactory("firewall-sync", Clock.systemUTC());
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean ready = new AtomicBoolean();

    public RulesetPublisher(List<FirewallEdgeProperties> edgeProperties,
                            @Value("${wgcp.kafka.bootstrap-servers:`127.0.0.1:9092`}") String bootstrap,
                            @Value("${wgcp.kafka.schema-registry-url:`http://127.0.0.1:8081`}") String registryUrl) {
        for (FirewallEdgeProperties e : edgeProperties) {
            if (e.getNetwork() == null) {
                throw new IllegalStateException("wgcp.firewall.edges." + e.getId() + ".network is not set: expected the network the edge serves");
            }
            try {
                edges.add(new EdgeSpec(e.getId(), e.getNetwork(), e.getInterface()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalStateException("wgcp.firewall.edges." + e.getId() + ".interface: " + bad.getMessage(), bad);
            }
        }
        SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
        this.producer = Producers.events(bootstrap, registry, "firewall-sync");
        this.deadLetters = Producers.deadLetters(bootstrap, "firewall-sync");
        this.loop = EventConsumerLoop.replay(bootstrap, "firewall-sync", List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS),
                new EventDeserializer(registry), (event, record) -> {
                    if (event instanceof FirewallRulesetChanged r) {
                        published.merge(r.getEdgeId(), r, (a, b) -> b.getMetadata().getRevision() >= a.getMetadata().getRevision() ? b : a);
                    } else if (peers.apply(event)) {
                        dirty.set(true);
                    }
                }, deadLetters, new EventConsumerLoop.Listener() {
                    @Override
                    public void batchHandled(int records) {
                        if (caughtUp.get() && dirty.getAndSet(false)) {
                            publishChanged();
                        }
                    }

                    @Override
                    public void caughtUp() {
                        caughtUp.set(true);
                        dirty.set(false);
                        publishChanged();
                        ready.set(true);
                    }
                });
    }

    @PostConstruct
    void start() {
        loop.start();
    }

    /** Compiles every edge's ruleset and publishes those whose hash changed. Runs on the consumer thread. */
    private void publishChanged() {
        for (EdgeSpec edge : edges) {
            List<PeerProjection.ActivePeer> active = peers.active(edge.networkId());
            Ruleset ruleset = RulesetCompiler.compile(edge, active);
            FirewallRulesetChanged last = published.get(edge.edgeId());
            if (last != null && last.getSha256().equals(ruleset.sha256())) {
                continue;
            }
            long revision = last == null ? 1 : last.getMetadata().getRevision() + 1;
            FirewallRulesetChanged event = FirewallRulesetChanged.newBuilder()
                    .setMetadata(metadata.create("firewall-sync", revision))
                    .setEdgeId(edge.edgeId())
                    .setTable(ruleset.table())
                    .setRuleset(ruleset.text())
                    .setSha256(ruleset.sha256())
                    .build();
            try {
                producer.send(new ProducerRecord<>(Topics.RULESETS.name(), edge.edgeId(), event)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Not published: the next batch or restart compiles and compares again.
                dirty.set(true);
                LOG.error("ruleset revision {} for edge {} not published: {}", revision, edge.edgeId(), e.getMessage());
                return;
            }
            published.put(edge.edgeId(), event);
            LOG.info("ruleset revision {} for edge {} published ({} active peers, sha256 {})", revision, edge.edgeId(),
                    active.size(), ruleset.sha256().substring(0, 12));
        }
    }

    /** Whether the topics were read to their end and every edge's ruleset compiled and compared once. */
    public boolean isReady() {
        return ready.get();
    }

    /** The last ruleset published for {@code edgeId}, if any. */
    public java.util.Optional<FirewallRulesetChanged> published(String edgeId) {
        return java.util.Optional.ofNullable(published.get(edgeId));
    }

    @PreDestroy
    void stop() {
        loop.close();
        producer.close(java.time.Duration.ofSeconds(5));
        deadLetters.close();
    }
}
