package dev.wgcp.edge.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wgcp.edge.domain.DesiredRuleset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulesetDeltaTest {

    private static DesiredRuleset ruleset(long revision, String rule, String... addresses) {
        String v4 = String.join(", ", java.util.Arrays.stream(addresses).filter(a -> !a.contains(":")).toList());
        String v6 = String.join(", ", java.util.Arrays.stream(addresses).filter(a -> a.contains(":")).toList());
        String script = "table inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n" + (v4.isEmpty() ? "" : "\t\telements = { " + v4 + " }\n")
                + "\t}\n\tset peers_v6 {\n\t\ttype ipv6_addr\n" + (v6.isEmpty() ? "" : "\t\telements = { " + v6 + " }\n") + "\t}\n"
                + "\tchain input {\n\t\t" + rule + "\n\t}\n}\n";
        return new DesiredRuleset(revision, "inet wgcp", script, "sha" + revision, Set.of(addresses));
    }

    @Test
    void onlyElementsChangedGivesElementStatementsPerSet() {
        DesiredRuleset from = ruleset(1, "ip saddr @peers_v4 accept", "10.0.0.2", "10.0.0.3", "fd00::2");
        DesiredRuleset to = ruleset(2, "ip saddr @peers_v4 accept", "10.0.0.3", "10.0.0.4", "fd00::2", "fd00::4");
        assertEquals(RulesetDelta.skeleton(from.script()), RulesetDelta.skeleton(to.script()), "only elements differ");
        assertEquals("add element inet wgcp peers_v4 { 10.0.0.4 }\nadd element inet wgcp peers_v6 { fd00::4 }\n"
                + "delete element inet wgcp peers_v4 { 10.0.0.2 }\n", RulesetDelta.elements(to,
                Map.of("peers_v4", Set.of("10.0.0.4"), "peers_v6", Set.of("fd00::4")), Map.of("peers_v4", Set.of("10.0.0.2"))));
        assertNull(RulesetDelta.elements(from, Map.of(), Map.of("peers_v4", Set.of())), "nothing to do");
    }

    @Test
    void everySetOfAScriptOrListingIsReadWithItsElementsInOneSpelling() {
        String script = "table inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.2 }\n\t}\n"
                + "\tset g_admins_v6 {\n\t\ttype ipv6_addr\n\t}\n"
                + "\tset d_lab_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t\telements = { fd00:20:0:0::/48 }\n\t}\n"
                + "\tchain input {\n\t\tip saddr @peers_v4 accept\n\t}\n}\n";
        assertEquals(Map.of("peers_v4", Set.of("10.0.0.2"), "g_admins_v6", Set.of(), "d_lab_v6", Set.of("fd00:20::/48")),
                RulesetDelta.setsOf(script));
        String listing = "table inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.2, 10.0.0.3,\n\t\t\t     10.0.0.4 }\n"
                + "\t}\n\tset peers_v6 {\n\t\ttype ipv6_addr\n\t\telements = { fd00:100::2 }\n\t}\n}\n";
        assertEquals(Map.of("peers_v4", Set.of("10.0.0.2", "10.0.0.3", "10.0.0.4"), "peers_v6", Set.of("fd00:100::2")),
                RulesetDelta.setsOf(listing));
        assertEquals(Set.of("fd00:100::2", "10.0.0.2"), RulesetDelta.canonical(Set.of("fd00:100:0:0:0:0:0:2", "10.0.0.2")));
        assertEquals("fd00::1:0:0:2", RulesetDelta.canonical("fd00:0:0:0:1:0:0:2"), "the longest run of zeros");
        assertEquals(false, RulesetDelta.skeleton(listing).contains("10.0.0.4"), RulesetDelta.skeleton(listing));
    }

    @Test
    void aChangedRuleIsNotAnElementChange() {
        DesiredRuleset from = ruleset(1, "ip saddr @peers_v4 accept", "10.0.0.2");
        assertNotEquals(RulesetDelta.skeleton(from.script()), RulesetDelta.skeleton(ruleset(2, "ip saddr @peers_v4 drop", "10.0.0.2").script()),
                "a rule changed: not an element change");
        assertEquals(false, RulesetDelta.skeleton(from.script()).contains("10.0.0.2"));
    }
}
