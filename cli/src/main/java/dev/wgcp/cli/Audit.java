package dev.wgcp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code wgcp audit}: replays event topics from the broker, decoded through the schema registry,
 * without a consumer group (nothing committed, the services undisturbed). {@code wgcp audit peer ID}
 * tells one peer's whole life across the peer, address, endpoint and acknowledgement topics.
 */
@Command(name = "audit", description = "Replays event topics (from the beginning, an offset or a time; to a time or live), filtered;"
        + " `audit peer ID` tells one peer's life.", subcommands = Audit.PeerLife.class)
final class Audit implements Callable<Integer> {
    @ParentCommand
    Wgcp root;
    @Option(names = "--bootstrap-servers", description = "Kafka (default: bootstrap.servers of the --kafka-config file,"
            + " else KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)")
    String bootstrap;
    @Option(names = "--kafka-config", defaultValue = "${env:WGCP_KAFKA_CONFIG}", paramLabel = "FILE",
            description = "Kafka client properties of a read-only principal (WGCP_KAFKA_CONFIG): security.protocol, sasl.mechanism,"
                    + " sasl.jaas.config, ssl.truststore.*; the devstack writes .devstack/kafka/wgcp-audit.properties")
    java.nio.file.Path kafkaConfig;
    @Option(names = "--schema-registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "The schema registry (SCHEMA_REGISTRY_URL), default ${DEFAULT-VALUE}")
    String registryUrl;

    @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "Topics to replay, by name or short name (peers, addresses, endpoints,"
            + " observations, rulesets, applied, ruleset-acks, config); default: every event topic")
    List<String> topics;
    @Option(names = "--from-offset", description = "Start at this offset of every partition (default: the beginning)") Long fromOffset;
    @Option(names = "--from-time", description = "Start at the first record at or after this time (ISO-8601, e.g. 2026-11-26T12:00:00Z)")
    String fromTime;
    @Option(names = "--to-time", description = "Stop at this time (default: at the end the topics had when the audit began)") String toTime;
    @Option(names = "--follow", description = "Keep reading new events until interrupted") boolean follow;
    @Option(names = "--peer", description = "Only events of this peer id") String peer;
    @Option(names = "--public-key", description = "Only events naming this public key") String publicKey;
    @Option(names = "--network", description = "Only events of this network") String network;
    @Option(names = "--edge", description = "Only events of this edge") String edge;
    @Option(names = "--type", description = "Only these event types, e.g. KeyRevoked; repeatable") List<String> types;
    @Option(names = "--actor", description = "Only events whose actor is this, e.g. token:admin") String actor;

    @Override
    public Integer call() {
        if (fromOffset != null && fromTime != null) {
            throw new Api.ApiException(2, "--from-offset and --from-time both given: expected one of them");
        }
        List<String> names = new ArrayList<>();
        for (String t : topics == null || topics.isEmpty() ? Topics.all().stream().map(TopicSpec::name).toList() : topics) {
            names.add(topic(t));
        }
        AuditReader.Start start = fromTime != null ? new AuditReader.Start(null, time("--from-time", fromTime))
                : fromOffset != null ? new AuditReader.Start(fromOffset, null) : AuditReader.Start.BEGINNING;
        Instant until = toTime == null ? null : time("--to-time", toTime);
        try (AuditReader reader = new AuditReader(kafka(), registryUrl)) {
            reader.read(names, start, until, follow, e -> {
                if (e.event() == null) {
                    root.out().println(e.timestamp() + "  " + where(e) + "  UNDECODABLE  " + e.error());
                } else if (matches(e.event())) {
                    root.out().println(root.json ? json(e) : line(e));
                }
                if (follow) {
                    root.out().flush();
                }
            });
        }
        return 0;
    }

    /** The client settings: the --kafka-config file, with the brokers from --bootstrap-servers when given. */
    java.util.Properties kafka() {
        if (kafkaConfig == null) {
            throw new Api.ApiException(2, "no Kafka credentials: wgcp audit reads the topics as a Kafka principal; give --kafka-config FILE"
                    + " (or WGCP_KAFKA_CONFIG), a Kafka client properties file (./dev.sh run writes .devstack/kafka/wgcp-audit.properties)");
        }
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(kafkaConfig)) {
            p.load(r);
        } catch (java.io.IOException e) {
            throw new Api.ApiException(2, "cannot read the Kafka client properties " + kafkaConfig + " (" + e.getClass().getSimpleName()
                    + "): expected a readable properties file with security.protocol, sasl.mechanism and sasl.jaas.config");
        }
        if (bootstrap != null) {
            p.put("bootstrap.servers", bootstrap);
        } else if (!p.containsKey("bootstrap.servers")) {
            String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            p.put("bootstrap.servers", env == null || env.isBlank() ? "127.0.0.1:9092" : env);
        }
        return p;
    }

    static String topic(String name) {
        return Topics.byName(name).or(() -> Topics.byName("wgcp." + name + ".v1")).map(TopicSpec::name)
                .orElseThrow(() -> new Api.ApiException(2, "topic '" + name + "' is not a wgcp topic: expected one of "
                        + String.join(", ", Topics.all().stream().map(TopicSpec::name).toList()) + " (or their short names)"));
    }

    static Instant time(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Api.ApiException(2, option + " '" + text + "' is not a time: expected ISO-8601 in UTC, e.g. 2026-11-26T12:00:00Z");
        }
    }

    boolean matches(SpecificRecord event) {
        GenericRecord r = (GenericRecord) event;
        if (types != null && !types.contains(r.getSchema().getName())) {
            return false;
        }
        if (actor != null && !actor.equals(metadata(r, "actor"))) {
            return false;
        }
        if (peer != null && !peer.equals(field(r, "peerId")) && !appliedTo(r, peer)) {
            return false;
        }
        if (publicKey != null && !List.of(Objects.toString(field(r, "publicKey")), Objects.toString(field(r, "oldPublicKey")),
                Objects.toString(field(r, "newPublicKey"))).contains(publicKey)) {
            return false;
        }
        if (network != null && !network.equals(field(r, "networkId"))) {
            return false;
        }
        return edge == null || edge.equals(field(r, "edgeId"));
    }

    /** An AgentApplied with a change of {@code peerId}. */
    static boolean appliedTo(GenericRecord r, String peerId) {
        Object changes = fieldObject(r, "changes");
        if (changes instanceof List<?> list) {
            return list.stream().anyMatch(c -> peerId.equals(field((GenericRecord) c, "peerId")));
        }
        return false;
    }

    static String field(GenericRecord r, String name) {
        Schema.Field f = r.getSchema().getField(name);
        Object v = f == null ? null : r.get(f.pos());
        return v == null ? null : v.toString();
    }

    static Object fieldObject(GenericRecord r, String name) {
        Schema.Field f = r.getSchema().getField(name);
        return f == null ? null : r.get(f.pos());
    }

    static String metadata(GenericRecord r, String name) {
        Object m = fieldObject(r, "metadata");
        return m instanceof GenericRecord meta ? field(meta, name) : null;
    }

    static String where(AuditReader.Entry e) {
        return e.topic() + "[" + e.partition() + "]@" + e.offset();
    }

    /** {@code <time> <topic>[p]@offset <Type> actor=… rev=… field=value …} */
    static String line(AuditReader.Entry e) {
        GenericRecord r = (GenericRecord) e.event();
        StringBuilder sb = new StringBuilder().append(occurredAt(e)).append("  ").append(where(e)).append("  ").append(r.getSchema().getName())
                .append("  actor=").append(metadata(r, "actor")).append(" rev=").append(metadata(r, "revision"));
        for (Schema.Field f : r.getSchema().getFields()) {
            if (f.name().equals("metadata") || f.name().equals("ruleset")) {
                continue; // the envelope is above; a ruleset's text is shown by `wgcp firewall ruleset`
            }
            Object v = r.get(f.pos());
            if (v == null || v instanceof List<?> l && l.isEmpty()) {
                continue;
            }
            sb.append(' ').append(f.name()).append('=').append(value(v));
        }
        return sb.toString();
    }

    static String value(Object v) {
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(value(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof GenericRecord nested) {
            List<String> parts = new ArrayList<>();
            for (Schema.Field f : nested.getSchema().getFields()) {
                Object x = nested.get(f.pos());
                if (x != null && !(x instanceof List<?> l && l.isEmpty())) {
                    parts.add(f.name() + "=" + value(x));
                }
            }
            return "{" + String.join(" ", parts) + "}";
        }
        return v.toString();
    }

    /** The record as one JSON line, with where it was read. */
    static String json(AuditReader.Entry e) {
        try {
            ObjectNode node = Api.JSON.createObjectNode();
            node.put("topic", e.topic());
            node.put("partition", e.partition());
            node.put("offset", e.offset());
            node.put("timestamp", e.timestamp().toString());
            node.put("key", e.key());
            node.put("type", e.event().getSchema().getName());
            node.set("event", Api.JSON.readTree(org.apache.avro.generic.GenericData.get().toString(e.event())));
            return Api.JSON.writeValueAsString(node);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code wgcp audit peer ID}: registered, address, rotations, endpoints, revocation, and where each change was applied. */
    @Command(name = "peer", description = "One peer's whole life: registration, address, updates, rotations, endpoints, revocation,"
            + " and on which edges each change was applied.")
    static final class PeerLife implements Callable<Integer> {
        @ParentCommand
        Audit audit;
        @Parameters(paramLabel = "PEER_ID") String peerId;

        @Override
        public Integer call() {
            List<AuditReader.Entry> life = new ArrayList<>();
            try (AuditReader reader = new AuditReader(audit.kafka(), audit.registryUrl)) {
                reader.read(List.of(Topics.PEERS.name(), Topics.ADDRESSES.name(), Topics.ENDPOINTS.name(), Topics.APPLIED.name()),
                        AuditReader.Start.BEGINNING, null, false, e -> {
                            if (e.event() != null && (peerId.equals(field((GenericRecord) e.event(), "peerId"))
                                    || appliedTo((GenericRecord) e.event(), peerId))) {
                                life.add(e);
                            }
                        });
            }
            if (life.isEmpty()) {
                throw new Api.ApiException(1, "no event of peer " + peerId + " on the broker: is the id right (wgcp peers list)?");
            }
            life.sort(Comparator.comparing(Audit::occurredAt).thenComparing(AuditReader.Entry::topic)
                    .thenComparing(AuditReader.Entry::offset));
            for (AuditReader.Entry e : life) {
                if (audit.root.json) {
                    audit.root.out().println(json(e));
                } else {
                    for (String what : PeerStory.describe((GenericRecord) e.event(), peerId)) {
                        audit.root.out().println(occurredAt(e) + "  " + what + "  (by " + metadata((GenericRecord) e.event(), "actor") + ")");
                    }
                }
            }
            return 0;
        }

    }

    /** When the change happened at its producer (the event's metadata), else when the broker took it. */
    static Instant occurredAt(AuditReader.Entry e) {
        Object m = fieldObject((GenericRecord) e.event(), "metadata");
        return m instanceof GenericRecord meta && meta.get("occurredAt") instanceof Instant i ? i : e.timestamp();
    }
}
