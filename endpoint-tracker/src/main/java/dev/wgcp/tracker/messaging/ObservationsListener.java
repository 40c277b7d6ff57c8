package dev.wgcp.tracker.messaging;

import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.events.v1.EdgeChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.kit.messaging.GroupConsumer;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.tracker.service.EndpointService;
import dev.wgcp.tracker.service.PeerDirectory;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows the edges' observations, the registry's peers (whose keys, which revoked, their names) and
 * its edges (their endpoints, for DNS).
 */
@Context
public class ObservationsListener extends GroupConsumer {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ObservationsListener.class);

    private final EndpointService endpoints;
    private final PeerDirectory directory;
    private final dev.wgcp.tracker.service.EdgeReports edges;
    private final dev.wgcp.tracker.service.TrackerMetrics metrics;

    public ObservationsListener(KafkaConnection kafka, dev.wgcp.schemas.consumer.GroupMembership membership, EventDeserializer deserializer, DeadLetters deadLetters,
                                TransactionOperations<Connection> tx, EndpointService endpoints, PeerDirectory directory,
                                dev.wgcp.tracker.service.EdgeReports edges, dev.wgcp.tracker.service.TrackerMetrics metrics) {
        super(kafka, membership, deserializer, deadLetters, tx, "endpoint-tracker", List.of(Topics.OBSERVATIONS, Topics.PEERS, Topics.CONFIG));
        this.endpoints = endpoints;
        this.directory = directory;
        this.edges = edges;
        this.metrics = metrics;
    }

    /**
     * Whether a record an edge wrote is signed by the key registered for the edge it names; if not,
     * it is ignored and counted ({@code reason} edge_unsigned, edge_key or edge_signature): one edge
     * cannot move another edge's peers or DNS names, nor a forger any.
     */
    private boolean fromTheEdge(String edgeId, ConsumerRecord<String, byte[]> record) {
        dev.wgcp.schemas.signing.TrustedKeys.Refusal refusal = edges.keys().check(edgeId, record.topic(), record.headers(), record.value());
        if (refusal == null) {
            return true;
        }
        String reason = switch (refusal.reason()) {
            case UNSIGNED -> "edge_unsigned";
            case BAD_SIGNATURE -> "edge_signature";
            default -> "edge_key";
        };
        metrics.observationIgnored(reason);
        LOG.warn("ignored {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), refusal.message());
        return false;
    }

    @Override
    protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        if (event instanceof HandshakeObserved e) {
            if (fromTheEdge(e.getEdgeId(), record)) {
                endpoints.observed(e);
            }
        } else if (event instanceof EdgeAddressObserved e) {
            if (fromTheEdge(e.getEdgeId(), record)) {
                directory.edgeAddress(e);
            }
        } else if (event instanceof PeerRegistered e) {
            directory.registered(e);
        } else if (event instanceof KeyRotated e) {
            directory.rotated(e);
        } else if (event instanceof KeyRevoked e) {
            directory.revoked(e);
        } else if (event instanceof PeerUpdated e) {
            directory.updated(e);
        } else if (event instanceof PeerRemoved e) {
            directory.removed(e);
        } else if (event instanceof EdgeChanged e) {
            directory.edgeChanged(e);
            edges.keys().edgeChanged(e);
        }
        // other events on these topics say nothing about endpoints
    }
}
