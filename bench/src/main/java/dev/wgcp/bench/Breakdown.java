package dev.wgcp.bench;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.infra.TopicReader;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.SerdeConfig;
import dev.wgcp.schemas.Topics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the time of a registration goes, read back from the topics: each event's occurredAt (when the
 * service built it, inside its transaction) and its record timestamp (when the outbox relay handed it
 * to the producer). Millisecond resolution; medians over the peers of one scenario.
 */
final class Breakdown {

    /** Per-peer wall-clock milliseconds. */
    record Marks(long requestAt, long liveAt) {
    }

    private Breakdown() {
    }

    static Map<String, Object> of(dev.wgcp.schemas.kafka.KafkaConnection kafka, String registryUrl, Map<String, Marks> marksByPeerId) {
        EventDeserializer d = new EventDeserializer();
        d.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        Map<String, long[]> registered = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.raw(kafka, Topics.PEERS.name())) {
            if (marksByPeerId.containsKey(r.key())) {
                SpecificRecord e = d.deserialize(r.topic(), r.value());
                if (e instanceof PeerRegistered p) {
                    registered.put(r.key(), new long[] {p.getMetadata().getOccurredAt().toEpochMilli(), r.timestamp()});
                }
            }
        }
        Map<String, long[]> assigned = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.raw(kafka, Topics.ADDRESSES.name())) {
            if (marksByPeerId.containsKey(r.key())) {
                SpecificRecord e = d.deserialize(r.topic(), r.value());
                if (e instanceof AddressAssigned a) {
                    assigned.put(r.key(), new long[] {a.getMetadata().getOccurredAt().toEpochMilli(), r.timestamp()});
                }
            }
        }
        Stats request = new Stats();
        Stats registryOutbox = new Stats();
        Stats ipam = new Stats();
        Stats ipamOutbox = new Stats();
        Stats agent = new Stats();
        marksByPeerId.forEach((id, m) -> {
            long[] reg = registered.get(id);
            long[] addr = assigned.get(id);
            if (reg == null || addr == null) {
                return;
            }
            request.add(reg[0] - m.requestAt());
            registryOutbox.add(reg[1] - reg[0]);
            ipam.add(addr[0] - reg[1]);
            ipamOutbox.add(addr[1] - addr[0]);
            agent.add(m.liveAt() - addr[1]);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_to_PeerRegistered_built_ms", request.percentile(50));
        out.put("registry_commit_and_outbox_relay_ms", registryOutbox.percentile(50));
        out.put("kafka_to_ipam_and_allocation_ms", ipam.percentile(50));
        out.put("ipam_commit_and_outbox_relay_ms", ipamOutbox.percentile(50));
        out.put("kafka_to_agent_and_wg_apply_ms", agent.percentile(50));
        out.put("peers", request.count());
        return out;
    }
}
