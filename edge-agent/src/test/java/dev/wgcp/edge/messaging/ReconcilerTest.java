package dev.wgcp.edge.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.InterfaceSpec;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import dev.wgcp.edge.firewall.Firewall;
import dev.wgcp.edge.firewall.FirewallSync;
import dev.wgcp.edge.metrics.AgentMetrics;
import dev.wgcp.edge.wireguard.WireGuard;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.schemas.EventMetadataFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The pass's ordering when the firewall fails in a way nobody planned for: the peers being revoked
 * still leave WireGuard. In-memory WireGuard and nftables stand in for the real ones here; the
 * agent's ITs drive wireguard-go and nft themselves.
 */
class ReconcilerTest {

    /** A WireGuard interface as a map. */
    private static final class Interface implements WireGuard {
        final Map<String, LivePeer> peers = new ConcurrentHashMap<>();

        @Override
        public Map<String, LivePeer> peers() {
            return Map.copyOf(peers);
        }

        @Override
        public void apply(List<PeerChange> changes) {
            for (PeerChange c : changes) {
                if (c instanceof PeerChange.Remove) {
                    peers.remove(c.publicKey());
                } else if (c instanceof PeerChange.Upsert u) {
                    peers.put(c.publicKey(), new LivePeer(c.publicKey(), null, u.peer().allowedIps(), 0, 0, 0, u.peer().persistentKeepalive()));
                }
            }
        }
    }

    /** A table that reads back what was applied, until reading it breaks. */
    private static final class Table implements Firewall {
        String listing;
        RuntimeException breaks;

        @Override
        public void apply(String script) {
            int start = script.lastIndexOf("table inet wgcp {\n");
            if (start >= 0) {
                listing = script.substring(start);
            }
        }

        @Override
        public Optional<String> list(String table) {
            if (breaks != null) {
                throw breaks;
            }
            return Optional.ofNullable(listing);
        }
    }

    @Test
    void aFirewallThatFailsUnexpectedlyNeverKeepsARevokedPeerOnTheInterface() {
        DesiredState desired = new DesiredState("home");
        desired.registered("p1", "home", "K1=", 25, 1);
        desired.addressAssigned("p1", "10.0.0.2", null, 1);
        desired.registered("p2", "home", "K2=", 25, 1);
        desired.addressAssigned("p2", "10.0.0.3", null, 1);
        Interface wg = new Interface();
        Table table = new Table();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FirewallSync firewall = new FirewallSync("edge-0", table, Duration.ofSeconds(30), (r, applied, reason, at) -> { }, meters);
        String script = "table inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.2, 10.0.0.3 }\n\t}\n"
                + "\tchain input {\n\t\tip saddr @peers_v4 accept\n\t}\n}\n";
        firewall.offer(FirewallRulesetChanged.newBuilder().setMetadata(new EventMetadataFactory("firewall-sync", Clock.systemUTC())
                        .create("test", 1)).setEdgeId("edge-0").setTable("inet wgcp").setRuleset(script).setSha256("sha-1")
                .setAllowedAddresses(List.of("10.0.0.2", "10.0.0.3")).build());
        List<List<PeerChange>> applies = new ArrayList<>();
        Reconciler reconciler = new Reconciler(desired, wg, new InterfaceSpec("wg0", "home", null, null, 51820, true),
                Duration.ofSeconds(30), (trigger, changes, at) -> applies.add(changes), firewall,
                new AgentMetrics(meters, "edge-0", "wg0", desired), new dev.wgcp.edge.domain.RemovalGuard(0.5, 10));
        reconciler.reconcile("start");
        assertEquals(java.util.Set.of("K1=", "K2="), wg.peers().keySet(), "both on, once the ruleset lets them in");

        // Reading the table now fails with something the firewall code did not plan for; K1 is revoked meanwhile.
        table.breaks = new IllegalStateException("nft printed something unexpected");
        desired.revoked("p1", "home", "K1=", 2);
        Reconciler.Result result = reconciler.reconcile("resync");
        assertFalse(wg.peers().containsKey("K1="), "the revoked key left the interface");
        assertTrue(wg.peers().containsKey("K2="), "the other peer stays");
        assertEquals(1, result.removed());
    }

    @Test
    void anAgentWhoseStateCameUpEmptyKeepsTheInterfacesPeersRemovesTheRevokedOneAndSaysSo() {
        DesiredState desired = new DesiredState("home");
        desired.revoked("p0", "home", "K0=", 2); // the one event that made it: a revocation
        Interface wg = new Interface();
        for (int i = 0; i < 20; i++) {
            wg.peers.put("K" + i + "=", new LivePeer("K" + i + "=", null, List.of("10.0.0." + (i + 2) + "/32"), 0, 0, 0, 25));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Reconciler reconciler = new Reconciler(desired, wg, new InterfaceSpec("wg0", "home", null, null, 51820, true),
                Duration.ofSeconds(30), (trigger, changes, at) -> { }, null, new AgentMetrics(meters, "edge-0", "wg0", desired),
                new dev.wgcp.edge.domain.RemovalGuard(0.5, 10));

        Reconciler.Result result = reconciler.reconcile("start");
        assertEquals(1, result.removed(), "only the revoked key left");
        assertFalse(wg.peers().containsKey("K0="));
        assertEquals(19, wg.peers().size(), "the peers the empty state does not know stay");
        assertEquals(19.0, meters.get("wgcp.agent.removals.withheld").gauge().value());

        // The state fills in (the topics are back): the pass is believable again, the gauge says so.
        for (int i = 1; i < 20; i++) {
            desired.registered("p" + i, "home", "K" + i + "=", 25, 1);
            desired.addressAssigned("p" + i, "10.0.0." + (i + 2), null, 1);
        }
        wg.peers.put("STRAY=", new LivePeer("STRAY=", null, List.of("10.0.9.9/32"), 0, 0, 0, 25));
        reconciler.reconcile("resync");
        assertFalse(wg.peers().containsKey("STRAY="), "one unknown peer among 20 is removed");
        assertEquals(0.0, meters.get("wgcp.agent.removals.withheld").gauge().value());
    }
}
