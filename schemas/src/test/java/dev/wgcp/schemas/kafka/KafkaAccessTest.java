package dev.wgcp.schemas.kafka;

import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACL plan: least privilege by construction, and docs/security.md shows exactly what the code grants. */
class KafkaAccessTest {

    private static List<String> topics(List<KafkaAccess.Grant> grants, AclOperation op) {
        return grants.stream().filter(g -> g.type() == ResourceType.TOPIC && g.operation() == op).map(KafkaAccess.Grant::resource).toList();
    }

    @Test
    void anEdgeReadsTheDesiredStateAndWritesOnlyWhatItReports() {
        List<KafkaAccess.Grant> edge = KafkaAccess.grants(KafkaAccess.edge("edge-7"));
        List<String> writes = topics(edge, AclOperation.WRITE);
        for (TopicSpec t : List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS, Topics.CONFIG, Topics.ENDPOINTS)) {
            assertFalse(writes.contains(t.name()), "an edge must never write " + t.name());
        }
        assertTrue(writes.containsAll(List.of(Topics.APPLIED.name(), Topics.RULESET_ACKS.name(), Topics.OBSERVATIONS.name())));
        assertTrue(topics(edge, AclOperation.READ).containsAll(List.of(Topics.PEERS.name(), Topics.ADDRESSES.name(),
                Topics.RULESETS.name(), Topics.CONFIG.name())));
        assertTrue(edge.stream().noneMatch(g -> g.type() != ResourceType.TOPIC || g.prefixed()), "no groups, no prefixes: " + edge);
    }

    @Test
    void eachTopicHasOneWriterBesidesTheConfigTopicAndNoGrantIsWiderThanAPrincipalNeeds() {
        Map<String, List<String>> writers = new java.util.TreeMap<>();
        KafkaAccess.table(List.of("e1")).forEach((p, grants) -> topics(grants, AclOperation.WRITE).stream()
                .filter(t -> !t.endsWith(".dlq")).forEach(t -> writers.computeIfAbsent(t, x -> new ArrayList<>()).add(p)));
        assertEquals(List.of(KafkaAccess.REGISTRY), writers.get(Topics.PEERS.name()));
        assertEquals(List.of(KafkaAccess.IPAM), writers.get(Topics.ADDRESSES.name()));
        assertEquals(List.of(KafkaAccess.FIREWALL), writers.get(Topics.RULESETS.name()));
        assertEquals(List.of(KafkaAccess.TRACKER), writers.get(Topics.ENDPOINTS.name()));
        assertEquals(List.of(KafkaAccess.REGISTRY, KafkaAccess.FIREWALL), writers.get(Topics.CONFIG.name()));
        assertTrue(KafkaAccess.grants(KafkaAccess.AUDIT).stream().allMatch(g -> g.operation() == AclOperation.READ));
        KafkaAccess.table(List.of("e1")).values().forEach(grants -> grants.forEach(g -> {
            assertFalse(g.operation() == AclOperation.ALL || g.resource().equals("*"), "no wildcard grant: " + g);
            assertTrue(g.type() == ResourceType.TOPIC || g.type() == ResourceType.GROUP, "only topics and groups: " + g);
            assertTrue(g.operation() != AclOperation.WRITE || !g.principal().equals(KafkaAccess.KAFKA_UI), "Kafka UI writes nothing");
        }));
        assertTrue(KafkaAccess.grants(KafkaAccess.ADMIN).isEmpty() && KafkaAccess.grants("someone").isEmpty());
    }

    @Test
    void edgeIdsThatCannotNameAPrincipalAreRefused() {
        assertEquals("edge.edge-0", KafkaAccess.edge("edge-0"));
        assertEquals("edge-0", KafkaAccess.edgeOf("edge.edge-0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaAccess.edge("a,b=c")).getMessage().contains("expected"));
    }

    /** The table docs/security.md shows, one row per principal. */
    static String table() {
        StringBuilder sb = new StringBuilder("| principal | reads | writes | also | consumer groups |\n| --- | --- | --- | --- | --- |\n");
        KafkaAccess.table(List.of("edge-id")).forEach((p, grants) -> {
            String name = p.equals(KafkaAccess.edge("edge-id")) ? "`edge.<edge-id>` (one per edge)" : "`" + p + "`";
            List<String> reads = topics(grants, AclOperation.READ);
            List<String> also = new ArrayList<>();
            for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS)) {
                List<String> on = topics(grants, op);
                if (!on.isEmpty()) {
                    String what = op.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                    also.add(on.equals(reads) && reads.size() > 1 ? what + " of every topic it reads" : what + " " + list(on));
                }
            }
            sb.append("| ").append(name).append(" | ").append(list(reads))
                    .append(" | ").append(list(topics(grants, AclOperation.WRITE))).append(" | ")
                    .append(also.isEmpty() ? "none" : String.join("; ", also)).append(" | ")
                    .append(list(grants.stream().filter(g -> g.type() == ResourceType.GROUP)
                            .map(g -> g.resource() + "*" + (g.operation() == AclOperation.READ ? "" : " (" + g.operation().name()
                                    .toLowerCase(java.util.Locale.ROOT) + ")")).toList()))
                    .append(" |\n");
        });
        return sb.toString();
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : items.stream().map(i -> "`" + i + "`").collect(Collectors.joining(", "));
    }

    @Test
    void docsSecurityShowsExactlyTheGrantsTheCodeMakes() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "security.md"));
        assertTrue(docs.contains(table()), "docs/security.md must hold this table (from KafkaAccess):\n" + table());
    }
}
