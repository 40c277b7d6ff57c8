package dev.wgcp.firewall.service;

import dev.wgcp.events.v1.FirewallPolicyChanged;
import dev.wgcp.events.v1.FirewallPolicyKind;
import dev.wgcp.firewall.domain.AllowList;
import dev.wgcp.firewall.domain.Names;
import dev.wgcp.firewall.domain.PeerGroup;
import dev.wgcp.firewall.domain.Policy;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.firewall.domain.PolicySet;
import dev.wgcp.firewall.persistence.PolicyStore;
import dev.wgcp.kit.outbox.Outbox;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Topics;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a network's firewall definitions: checked (names, references, ports, CIDRs), stored, and
 * announced with FirewallPolicyChanged through the outbox in the same transaction. Every
 * firewall-sync instance reloads its definitions when it reads that event, and compiles again.
 */
@Singleton
public class PolicyService {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

    private final PolicyStore store;
    private final Outbox outbox;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();
    private final EventMetadataFactory metadata = new EventMetadataFactory("firewall-sync", clock);

    public PolicyService(PolicyStore store, Outbox outbox, JsonMapper json) {
        this.store = store;
        this.outbox = outbox;
        this.json = json;
    }

    @Transactional(readOnly = true)
    public PolicySet of(String networkId) {
        return new PolicySet(store.groups(networkId), store.policies(networkId), store.allowLists(networkId));
    }

    @Transactional(readOnly = true)
    public Map<String, PolicySet> all() {
        return store.all();
    }

    @Transactional
    public PeerGroup putGroup(String networkId, String name, List<String> tags, List<String> peers, boolean allPeers, String actor) {
        network(networkId);
        Names.check("group", name);
        store.lockNetwork(networkId);
        List<PeerGroup> existing = store.groups(networkId);
        int bit = existing.stream().filter(g -> g.name().equals(name)).map(PeerGroup::markBit).findFirst().orElseGet(() -> {
            BitSet used = new BitSet();
            existing.forEach(g -> used.set(g.markBit()));
            int free = used.nextClearBit(0);
            if (free > 31) {
                throw Refusal.conflict("network " + networkId + " has 32 groups, one per bit of the conntrack mark: delete one"
                        + " before creating " + name);
            }
            return free;
        });
        PeerGroup group = new PeerGroup(networkId, name, tags, peers, allPeers, bit);
        store.saveGroup(group);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tags", group.tags());
        d.put("peers", group.peers());
        d.put("allPeers", group.allPeers());
        d.put("markBit", group.markBit());
        announce(networkId, FirewallPolicyKind.GROUP, name, d, actor);
        return group;
    }

    @Transactional
    public Policy putPolicy(Policy policy, String actor) {
        network(policy.networkId());
        store.lockNetwork(policy.networkId());
        requireGroup(policy.networkId(), policy.from(), "policy " + policy.name());
        if (policy.toGroup() != null) {
            requireGroup(policy.networkId(), policy.toGroup(), "policy " + policy.name());
        }
        store.savePolicy(policy);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", policy.from());
        d.put("toGroup", policy.toGroup());
        d.put("toCidrs", policy.toCidrs());
        d.put("protocol", policy.protocol().lower());
        d.put("ports", policy.ports());
        d.put("edges", policy.edges());
        announce(policy.networkId(), FirewallPolicyKind.POLICY, policy.name(), d, actor);
        return policy;
    }

    @Transactional
    public AllowList putAllowList(AllowList list, String actor) {
        network(list.networkId());
        store.lockNetwork(list.networkId());
        requireGroup(list.networkId(), list.group(), "allow-list " + list.name());
        store.saveAllowList(list);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("group", list.group());
        d.put("protocol", list.protocol().lower());
        d.put("ports", list.ports());
        d.put("edges", list.edges());
        announce(list.networkId(), FirewallPolicyKind.ALLOW_LIST, list.name(), d, actor);
        return list;
    }

    @Transactional
    public void delete(String networkId, FirewallPolicyKind kind, String name, String actor) {
        network(networkId);
        store.lockNetwork(networkId);
        if (kind == FirewallPolicyKind.GROUP) {
            List<String> users = new java.util.ArrayList<>();
            store.policies(networkId).stream().filter(p -> p.from().equals(name) || name.equals(p.toGroup()))
                    .forEach(p -> users.add("policy " + p.name()));
            store.allowLists(networkId).stream().filter(a -> a.group().equals(name)).forEach(a -> users.add("allow-list " + a.name()));
            if (!users.isEmpty()) {
                throw Refusal.conflict("group " + name + " is used by " + String.join(", ", users) + ": delete or change those first");
            }
        }
        String table = switch (kind) {
            case GROUP -> "fw_group";
            case POLICY -> "fw_policy";
            case ALLOW_LIST -> "fw_allow_list";
        };
        if (!store.delete(table, networkId, name)) {
            throw Refusal.notFound(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + name
                    + " does not exist in network " + networkId);
        }
        announce(networkId, kind, name, null, actor);
    }

    private void requireGroup(String networkId, String group, String what) {
        if (store.group(networkId, group).isEmpty()) {
            throw Refusal.invalid(what + " names group " + group + ", which does not exist in network " + networkId
                    + ": create it first (PUT /v1/networks/" + networkId + "/groups/" + group + ")");
        }
    }

    private static void network(String networkId) {
        if (networkId == null || networkId.isBlank() || networkId.length() > 64) {
            throw Refusal.invalid("network '" + networkId + "' is not a network name: expected the registry's name of it");
        }
    }

    private void announce(String networkId, FirewallPolicyKind kind, String name, Map<String, Object> definition, String actor) {
        String text;
        try {
            text = definition == null ? null : json.writeValueAsString(definition);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        outbox.append(Topics.CONFIG, networkId + "/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + name,
                FirewallPolicyChanged.newBuilder()
                        .setMetadata(metadata.create(actor, clock.millis()))
                        .setNetworkId(networkId)
                        .setKind(kind)
                        .setName(name)
                        .setDeleted(definition == null)
                        .setDefinition(text)
                        .build());
        LOG.info("{} {} {} in network {} by {}", kind, name, definition == null ? "deleted" : "set", networkId, actor);
    }
}
