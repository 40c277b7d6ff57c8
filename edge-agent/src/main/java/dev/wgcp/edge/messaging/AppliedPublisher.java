package dev.wgcp.edge.messaging;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.PeerChange;
import dev.wgcp.events.v1.AgentApplied;
import dev.wgcp.events.v1.AppliedPeerChange;
import dev.wgcp.events.v1.PeerAction;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.projection.PeerProjection;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an {@link AgentApplied} acknowledgement for every apply the interface confirmed: which
 * peers, at which revisions, went live on (or left) this edge, and when. Sent without waiting, so the
 * next apply never waits for the broker; the producer retries on its own, and an ack it finally
 * cannot deliver is logged (the interface itself is unaffected, and the next resync's acks and the
 * agent's API still tell the truth).
 */
@Singleton
public class AppliedPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AppliedPublisher.class);

    private final AgentSettings settings;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final EventMetadataFactory metadata;
    private final AtomicLong applies = new AtomicLong();

    public AppliedPublisher(AgentSettings settings,
                            dev.wgcp.schemas.kafka.KafkaConnection kafka, dev.wgcp.schemas.signing.SigningKey signer,
                            @Value("${wgcp.kafka.schema-registry-url:`http://127.0.0.1:8081`}") String registryUrl) {
        this.settings = settings;
        this.metadata = new EventMetadataFactory("edge-agent:" + settings.getEdgeId(), Clock.systemUTC());
        this.producer = Producers.events(kafka, new SchemaRegistryClient(registryUrl), "edge-agent-" + settings.getEdgeId() + "-applied", signer);
    }

    /** Acknowledges a ruleset nft applied or refused (RulesetApplied on the compacted ruleset-acks topic, keyed by edge). */
    public void ruleset(dev.wgcp.edge.domain.DesiredRuleset ruleset, boolean applied, String reason, Instant at) {
        dev.wgcp.events.v1.RulesetApplied ack = dev.wgcp.events.v1.RulesetApplied.newBuilder()
                .setMetadata(metadata.create("edge-agent:" + settings.getEdgeId(), applies.incrementAndGet()))
                .setEdgeId(settings.getEdgeId())
                .setRulesetRevision(ruleset.revision())
                .setSha256(ruleset.sha256())
                .setApplied(applied)
                .setReason(reason)
                .setAppliedAt(at)
                .build();
        producer.send(new ProducerRecord<>(Topics.RULESET_ACKS.name(), settings.getEdgeId(), ack), (md, e) -> {
            if (e != null) {
                LOG.warn("edge {}: acknowledgement of ruleset r{} not delivered: {}", settings.getEdgeId(), ruleset.revision(), e.getMessage());
            }
        });
    }

    /** The listener of one interface's applies. */
    public ApplyListener forInterface(String interfaceName, DesiredState desired) {
        return (trigger, changes, appliedAt) -> applied(interfaceName, desired, trigger, changes, appliedAt);
    }

    void applied(String interfaceName, DesiredState desired, String trigger, List<PeerChange> changes, Instant appliedAt) {
        AgentApplied ack = ack(interfaceName, desired, trigger, changes, appliedAt);
        producer.send(new ProducerRecord<>(Topics.APPLIED.name(), settings.getEdgeId(), ack), (md, e) -> {
            if (e != null) {
                LOG.warn("{}: acknowledgement {} of {} applied changes not delivered: {}", interfaceName,
                        ack.getMetadata().getEventId(), changes.size(), e.getMessage());
            }
        });
    }

    AgentApplied ack(String interfaceName, DesiredState desired, String trigger, List<PeerChange> changes, Instant appliedAt) {
        List<AppliedPeerChange> out = new ArrayList<>(changes.size());
        for (PeerChange c : changes) {
            Optional<PeerProjection.PeerRef> ref = desired.refOf(c.publicKey());
            boolean removed = c instanceof PeerChange.Remove;
            out.add(AppliedPeerChange.newBuilder()
                    .setPeerId(ref.map(PeerProjection.PeerRef::peerId).orElse(null))
                    .setPublicKey(c.publicKey())
                    .setAction(removed ? PeerAction.REMOVED : "missing".equals(c.reason()) ? PeerAction.ADDED : PeerAction.UPDATED)
                    .setReason(c.reason())
                    .setAllowedIps(c instanceof PeerChange.Upsert u ? u.peer().allowedIps() : List.of())
                    .setRegistryRevision(ref.map(PeerProjection.PeerRef::registryRevision).orElse(0L))
                    .setAddressRevision(ref.map(PeerProjection.PeerRef::addressRevision).orElse(0L))
                    .build());
        }
        return AgentApplied.newBuilder()
                .setMetadata(metadata.create("edge-agent:" + settings.getEdgeId(), applies.incrementAndGet()))
                .setEdgeId(settings.getEdgeId())
                .setInterfaceName(interfaceName)
                .setTrigger(trigger)
                .setAppliedAt(appliedAt)
                .setChanges(out)
                .build();
    }

    @PreDestroy
    void stop() {
        producer.close(Duration.ofSeconds(5));
    }
}
