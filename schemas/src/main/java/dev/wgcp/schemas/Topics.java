package dev.wgcp.schemas;

import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.AddressReleased;
import dev.wgcp.events.v1.AgentApplied;
import dev.wgcp.events.v1.CredentialChanged;
import dev.wgcp.events.v1.EdgeChanged;
import dev.wgcp.events.v1.NetworkChanged;
import dev.wgcp.events.v1.EndpointChanged;
import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.events.v1.PeerCameOnline;
import dev.wgcp.events.v1.PeerWentStale;
import dev.wgcp.events.v1.SuspiciousEndpointChurn;
import dev.wgcp.events.v1.FirewallPolicyChanged;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.events.v1.HandshakeObserved;
import dev.wgcp.events.v1.KeyRevoked;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.events.v1.PeerUpdated;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import java.util.Optional;

/** Every wgcp topic, declared once. Services refer to these constants, never to string literals. */
public final class Topics {

    /** Peer lifecycle from registry-service, keyed by peer id. */
    public static final TopicSpec PEERS = TopicSpec.of("wgcp.peers.v1",
            "peer lifecycle from registry-service (registered, updated, key rotated, revoked, removed)",
            PeerRegistered.getClassSchema(), KeyRevoked.getClassSchema(), PeerUpdated.getClassSchema(), KeyRotated.getClassSchema(),
            PeerRemoved.getClassSchema());

    /** Address allocations from ipam-service, keyed by peer id. */
    public static final TopicSpec ADDRESSES = TopicSpec.of("wgcp.addresses.v1",
            "tunnel address allocations from ipam-service (assigned, why not, released)",
            AddressAssigned.getClassSchema(), AddressAllocationFailed.getClassSchema(), AddressReleased.getClassSchema());

    /** Endpoint changes from endpoint-tracker, keyed by peer id. */
    public static final TopicSpec ENDPOINTS = TopicSpec.of("wgcp.endpoints.v1",
            "public endpoint changes, online/stale transitions and churn alerts from endpoint-tracker",
            EndpointChanged.getClassSchema(), PeerWentStale.getClassSchema(),
            PeerCameOnline.getClassSchema(), SuspiciousEndpointChurn.getClassSchema());

    /**
     * What edges observe of their peers (endpoint, handshake, transfer), keyed by peer id, and of
     * themselves (their own public address), keyed by edge id.
     */
    public static final TopicSpec OBSERVATIONS = TopicSpec.of("wgcp.observations.v1",
            "handshake and endpoint observations from edge agents, and their own public addresses",
            HandshakeObserved.getClassSchema(), EdgeAddressObserved.getClassSchema());

    /** Desired nftables ruleset per edge, compacted, keyed by edge id. */
    public static final TopicSpec RULESETS = TopicSpec.compacted("wgcp.rulesets.v1",
            "desired nftables ruleset per edge from firewall-sync (compacted)",
            FirewallRulesetChanged.getClassSchema());

    /**
     * What each edge agent applied to its interface, one record per apply, keyed by edge id: the
     * order of one edge's applies is what matters here, and one record per apply (not per peer)
     * keeps a batch of a thousand peers one record.
     */
    public static final TopicSpec APPLIED = TopicSpec.of("wgcp.applied.v1",
            "acknowledgements of the peer changes each edge agent applied to its interface",
            AgentApplied.getClassSchema());

    /**
     * Each edge's latest ruleset acknowledgement (applied, or refused by nft), compacted and keyed by
     * edge id: what firewall-sync compares with the ruleset it wants the edge to have, without
     * replaying every peer acknowledgement.
     */
    public static final TopicSpec RULESET_ACKS = TopicSpec.compacted("wgcp.ruleset-acks.v1",
            "each edge's latest firewall ruleset acknowledgement from its agent (compacted)",
            dev.wgcp.events.v1.RulesetApplied.getClassSchema());

    /**
     * Changes to the fleet's configuration in registry-service (networks, edges, API and enrolment
     * tokens) and firewall-sync (policies), for the audit log and for services that follow them;
     * keyed by the subject's id.
     */
    public static final TopicSpec CONFIG = TopicSpec.of("wgcp.config.v1",
            "network, edge and credential changes from registry-service, firewall policy changes from firewall-sync",
            NetworkChanged.getClassSchema(), EdgeChanged.getClassSchema(), CredentialChanged.getClassSchema(),
            FirewallPolicyChanged.getClassSchema());

    private static final List<TopicSpec> ALL = List.of(PEERS, ADDRESSES, ENDPOINTS, OBSERVATIONS, RULESETS, APPLIED, RULESET_ACKS, CONFIG);

    private static volatile boolean trusted;

    static {
        trustEventClasses();
    }

    private Topics() {
    }

    /**
     * Avro 1.12 only instantiates classes it was told to trust; the generated event classes are ours,
     * so every named type reachable from a topic schema is added to the global allow-list. Runs when
     * this class, the serde or {@link EventMetadataFactory} is loaded; idempotent.
     */
    public static synchronized void trustEventClasses() {
        if (trusted) {
            return;
        }
        trusted = true;
        Set<String> names = new LinkedHashSet<>();
        ALL.forEach(t -> collectNamed(t.valueSchema(), names));
        ClassSecurityValidator.Builder allowed = ClassSecurityValidator.builder();
        names.forEach(allowed::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), allowed.build()));
    }

    private static void collectNamed(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case UNION -> schema.getTypes().forEach(s -> collectNamed(s, names));
            case ARRAY -> collectNamed(schema.getElementType(), names);
            case MAP -> collectNamed(schema.getValueType(), names);
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collectNamed(f.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            default -> { }
        }
    }

    public static List<TopicSpec> all() {
        return ALL;
    }

    public static Optional<TopicSpec> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Name of the dead-letter topic that receives records of {@code topic} that could not be decoded. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
