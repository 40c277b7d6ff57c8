package dev.wgcp.schemas.kafka;

import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the brokers: one principal per service, one per edge agent and a read-only one
 * for audits, each allowed exactly the topics and consumer groups it uses (the table in
 * docs/security.md is this class). The devstack, the tests and {@code wgcp kafka setup} (compose,
 * Kubernetes) all create credentials and ACLs through {@link #apply}; the brokers deny everything
 * else ({@code allow.everyone.if.no.acl.found=false}).
 *
 * <p>ACLs cannot restrict record keys: what keeps one edge from speaking for another is the signature
 * its records carry (decisions.md, "Edges sign what they report, rather than one topic per edge").
 */
public final class KafkaAccess {

    /** The brokers' own principal (inter-broker and controller traffic); a super user. */
    public static final String BROKER = "broker";
    /** The operator's principal that creates topics, credentials and ACLs; a super user. */
    public static final String ADMIN = "wgcp-admin";
    public static final String REGISTRY = "registry-service";
    public static final String IPAM = "ipam-service";
    public static final String TRACKER = "endpoint-tracker";
    public static final String FIREWALL = "firewall-sync";
    /** {@code wgcp audit}: reads every topic and dead-letter topic, writes nothing, joins no group. */
    public static final String AUDIT = "wgcp-audit";
    /** Confluent's Schema Registry where it keeps its schemas in Kafka (compose, Kubernetes): its own topic and group only. */
    public static final String SCHEMA_REGISTRY = "schema-registry";
    /** Kafka UI (compose): reads and describes wgcp's topics and the services' groups, writes nothing. */
    public static final String KAFKA_UI = "kafka-ui";
    /** The topic Confluent's Schema Registry keeps its schemas in. */
    public static final String SCHEMAS_TOPIC = "_schemas";

    private static final String EDGE_PREFIX = "edge.";
    private static final Pattern EDGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** What one principal may do on one topic or consumer group (a prefix where {@code prefixed}). */
    public record Grant(String principal, ResourceType type, String resource, boolean prefixed, AclOperation operation) {

        AclBinding binding() {
            return new AclBinding(new ResourcePattern(type, resource, prefixed ? PatternType.PREFIXED : PatternType.LITERAL),
                    new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
        }
    }

    private KafkaAccess() {
    }

    /** The principals of the services (not edges, not the audit reader, not the super users). */
    public static List<String> services() {
        return List.of(REGISTRY, IPAM, TRACKER, FIREWALL);
    }

    /** The principal of the edge agent of {@code edgeId}. */
    public static String edge(String edgeId) {
        if (edgeId == null || !EDGE_ID.matcher(edgeId).matches()) {
            throw new IllegalArgumentException("edge id '" + edgeId + "' cannot name a Kafka principal: expected 1-63 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
        return EDGE_PREFIX + edgeId;
    }

    /** The edge id of an edge principal, or null when {@code principal} is not an edge's. */
    public static String edgeOf(String principal) {
        return principal != null && principal.startsWith(EDGE_PREFIX) ? principal.substring(EDGE_PREFIX.length()) : null;
    }

    /** Everything {@code principal} may do; empty for the super users and unknown names (they get no ACL). */
    public static List<Grant> grants(String principal) {
        List<Grant> g = new ArrayList<>();
        switch (principal) {
            case REGISTRY -> {
                consume(g, principal, Topics.ADDRESSES);
                produce(g, principal, Topics.PEERS, Topics.CONFIG);
                group(g, principal);
            }
            case IPAM -> {
                consume(g, principal, Topics.PEERS);
                produce(g, principal, Topics.ADDRESSES);
                group(g, principal);
            }
            case TRACKER -> {
                consume(g, principal, Topics.OBSERVATIONS, Topics.PEERS, Topics.CONFIG);
                produce(g, principal, Topics.ENDPOINTS);
                group(g, principal);
            }
            case FIREWALL -> {
                consume(g, principal, Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS, Topics.RULESET_ACKS, Topics.ENDPOINTS,
                        Topics.CONFIG);
                produce(g, principal, Topics.RULESETS, Topics.CONFIG);
            }
            case AUDIT -> {
                for (TopicSpec t : Topics.all()) {
                    g.add(new Grant(principal, ResourceType.TOPIC, t.name(), false, AclOperation.READ));
                    g.add(new Grant(principal, ResourceType.TOPIC, Topics.deadLetter(t.name()), false, AclOperation.READ));
                }
            }
            case KAFKA_UI -> {
                for (TopicSpec t : Topics.all()) {
                    for (String name : List.of(t.name(), Topics.deadLetter(t.name()))) {
                        g.add(new Grant(principal, ResourceType.TOPIC, name, false, AclOperation.READ));
                        g.add(new Grant(principal, ResourceType.TOPIC, name, false, AclOperation.DESCRIBE_CONFIGS));
                    }
                }
                for (String service : List.of(REGISTRY, IPAM, TRACKER)) {
                    g.add(new Grant(principal, ResourceType.GROUP, service, true, AclOperation.DESCRIBE));
                }
            }
            case SCHEMA_REGISTRY -> {
                // It creates its compacted topic at first start, checks its settings, and elects a leader through its group.
                for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)) {
                    g.add(new Grant(principal, ResourceType.TOPIC, SCHEMAS_TOPIC, false, op));
                }
                g.add(new Grant(principal, ResourceType.GROUP, SCHEMA_REGISTRY, true, AclOperation.READ));
            }
            default -> {
                if (edgeOf(principal) != null) {
                    // The desired state it applies, and nothing it could change: no write on these.
                    consume(g, principal, Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS, Topics.CONFIG);
                    // What it reports: acknowledgements and observations, signed by the edge's key.
                    produce(g, principal, Topics.APPLIED, Topics.RULESET_ACKS, Topics.OBSERVATIONS);
                }
            }
        }
        return g;
    }

    /**
     * The services allowed to write {@code topic}: whose signatures a consumer of it trusts
     * ({@link dev.wgcp.schemas.signing.TrustedKeys#forOwners}). Empty for the topics edges write.
     */
    public static List<String> owners(TopicSpec topic) {
        return services().stream().filter(p -> grants(p).stream().anyMatch(g -> g.type() == ResourceType.TOPIC
                && g.operation() == AclOperation.WRITE && g.resource().equals(topic.name()))).toList();
    }

    /** The grants of every fixed principal and of the edges named, in one table (docs/security.md). */
    public static Map<String, List<Grant>> table(Collection<String> edgeIds) {
        Map<String, List<Grant>> t = new LinkedHashMap<>();
        for (String p : services()) {
            t.put(p, grants(p));
        }
        t.put(AUDIT, grants(AUDIT));
        t.put(SCHEMA_REGISTRY, grants(SCHEMA_REGISTRY));
        t.put(KAFKA_UI, grants(KAFKA_UI));
        for (String e : edgeIds) {
            t.put(edge(e), grants(edge(e)));
        }
        return t;
    }

    /** Reads {@code topics} (their records, metadata and offsets) and writes their dead letters. */
    private static void consume(List<Grant> g, String principal, TopicSpec... topics) {
        for (TopicSpec t : topics) {
            g.add(new Grant(principal, ResourceType.TOPIC, t.name(), false, AclOperation.READ));
            g.add(new Grant(principal, ResourceType.TOPIC, Topics.deadLetter(t.name()), false, AclOperation.WRITE));
        }
    }

    private static void produce(List<Grant> g, String principal, TopicSpec... topics) {
        for (TopicSpec t : topics) {
            g.add(new Grant(principal, ResourceType.TOPIC, t.name(), false, AclOperation.WRITE));
        }
    }

    /** Consumer groups named after the service (instances, and tests, add suffixes). */
    private static void group(List<Grant> g, String principal) {
        g.add(new Grant(principal, ResourceType.GROUP, principal, true, AclOperation.READ));
    }

    /**
     * Creates or updates the SCRAM credentials of {@code passwords}' principals and grants each its
     * ACLs; safe to run again (credentials are replaced, ACLs that exist stay). Needs a super user.
     */
    public static void apply(Admin admin, Map<String, String> passwords) {
        List<UserScramCredentialAlteration> creds = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        passwords.forEach((principal, password) -> {
            creds.add(new UserScramCredentialUpsertion(principal, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
            grants(principal).forEach(gr -> acls.add(gr.binding()));
        });
        try {
            if (!creds.isEmpty()) {
                admin.alterUserScramCredentials(creds).all().get();
            }
            if (!acls.isEmpty()) {
                admin.createAcls(acls).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka credentials and ACLs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create Kafka credentials and ACLs for " + passwords.keySet() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Takes everything from {@code principal}: its credentials (its connections are refused from the
     * next authentication on) and every ACL naming it. What an operator does with a leaked credential
     * before issuing a new one.
     */
    public static void revoke(Admin admin, String principal) {
        try {
            try {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(principal, ScramMechanism.SCRAM_SHA_512)))
                        .all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
            admin.deleteAcls(List.of(new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:" + principal, null, AclOperation.ANY, AclPermissionType.ANY)))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while revoking " + principal, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot revoke Kafka principal " + principal + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
