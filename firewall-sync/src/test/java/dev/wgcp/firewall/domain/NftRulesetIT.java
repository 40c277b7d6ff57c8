package dev.wgcp.firewall.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.infra.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled scripts are accepted by the real nft and replace the table as a whole, in a test namespace. */
class NftRulesetIT {

    @TempDir
    Path dir;

    private static void apply(Netns ns, Path file, Ruleset r) throws Exception {
        Files.writeString(file, r.text());
        ns.exec("nft", "-f", file.toString());
    }

    @Test
    void rulesetsApplyAtomicallyAndReplaceTheTable() throws Exception {
        EdgeSpec edge = new EdgeSpec("edge-0", "home", "wg0");
        try (Netns ns = Netns.create("wgcp-it-f" + Netns.uniqueSuffix())) {
            Path file = dir.resolve("ruleset.nft");
            apply(ns, file, RulesetCompiler.compile(edge, List.of()));
            apply(ns, file, RulesetCompiler.compile(edge, List.of(
                    new FirewallPeer("p1", "10.100.0.2", "fd00::2", Set.of(), null),
                    new FirewallPeer("p2", "10.100.0.3", null, Set.of(), null))));
            String v4 = ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v4");
            assertTrue(v4.contains("10.100.0.2") && v4.contains("10.100.0.3"), v4);
            assertTrue(ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v6").contains("fd00::2"));

            // The next ruleset replaces the table: a revoked peer's address is gone, nothing else is left over.
            apply(ns, file, RulesetCompiler.compile(edge, List.of(new FirewallPeer("p2", "10.100.0.3", null, Set.of(), null))));
            v4 = ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v4");
            assertFalse(v4.contains("10.100.0.2"), v4);
            assertEquals(1, ns.exec("nft", "list", "tables").lines().filter(l -> l.contains("wgcp")).count());

            // A script nft rejects changes nothing: the previous table stays in force.
            Files.writeString(file, "table inet wgcp {}\ndelete table inet wgcp\ntable inet wgcp { chain x { bogus } }\n");
            assertFalse(ns.tryExec("nft", "-f", file.toString()).exitCode() == 0);
            assertTrue(ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v4").contains("10.100.0.3"));
        }
    }

    @Test
    void everyCompiledCaseIsAcceptedByTheRealNft() throws Exception {
        try (Netns ns = Netns.create("wgcp-it-g" + Netns.uniqueSuffix())) {
            Path file = dir.resolve("policies.nft");
            apply(ns, file, RulesetCompiler.compile(new EdgeSpec("edge-0", "home", "wg0"), RulesetCompilerTest.PEERS,
                    RulesetCompilerTest.POLICIES));
            String table = ns.exec("nft", "list", "table", "inet", "wgcp");
            assertTrue(table.contains("ct mark set ct mark | 0x00000002"), table);
            assertTrue(table.contains("comment \"admin-ssh\""), table);
            assertTrue(ns.exec("nft", "list", "set", "inet", "wgcp", "d_devs_lab_v6").contains("fd00:20::/48"));
            assertTrue(ns.exec("nft", "list", "set", "inet", "wgcp", "a_mgmt_v6").contains("2001:db8::9"));
            for (String name : List.of("no-policies.nft", "policies-edge-1.nft", "policies-no-peers.nft", "two-interfaces.nft")) {
                Files.writeString(file, RulesetCompilerTest.resource(name));
                ns.exec("nft", "-f", file.toString());
            }
        }
    }
}
