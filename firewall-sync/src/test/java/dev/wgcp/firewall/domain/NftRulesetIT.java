package dev.wgcp.firewall.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.infra.Netns;
import dev.wgcp.schemas.projection.PeerProjection.ActivePeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                    new ActivePeer("p1", "home", "K1", 25, "10.100.0.2", "fd00::2"),
                    new ActivePeer("p2", "home", "K2", 25, "10.100.0.3", null))));
            String v4 = ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v4");
            assertTrue(v4.contains("10.100.0.2") && v4.contains("10.100.0.3"), v4);
            assertTrue(ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v6").contains("fd00::2"));

            // The next ruleset replaces the table: a revoked peer's address is gone, nothing else is left over.
            apply(ns, file, RulesetCompiler.compile(edge, List.of(new ActivePeer("p2", "home", "K2", 25, "10.100.0.3", null))));
            v4 = ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v4");
            assertFalse(v4.contains("10.100.0.2"), v4);
            assertEquals(1, ns.exec("nft", "list", "tables").lines().filter(l -> l.contains("wgcp")).count());

            // A script nft rejects changes nothing: the previous table stays in force.
            Files.writeString(file, "table inet wgcp {}\ndelete table inet wgcp\ntable inet wgcp { chain x { bogus } }\n");
            assertFalse(ns.tryExec("nft", "-f", file.toString()).exitCode() == 0);
            assertTrue(ns.exec("nft", "list", "set", "inet", "wgcp", "peers_v4").contains("10.100.0.3"));
        }
    }
}
