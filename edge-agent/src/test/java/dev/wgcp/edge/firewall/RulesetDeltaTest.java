package dev.wgcp.edge.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wgcp.edge.domain.DesiredRuleset;
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
    void onlyElementsChangedGivesElementStatements() {
        DesiredRuleset from = ruleset(1, "ip saddr @peers_v4 accept", "10.0.0.2", "10.0.0.3", "fd00::2");
        DesiredRuleset to = ruleset(2, "ip saddr @peers_v4 accept", "10.0.0.3", "10.0.0.4", "fd00::2", "fd00::4");
        assertEquals(RulesetDelta.skeleton(from.script()), RulesetDelta.skeleton(to.script()), "only elements differ");
        assertEquals("add element inet wgcp peers_v4 { 10.0.0.4 }\nadd element inet wgcp peers_v6 { fd00::4 }\n"
                + "delete element inet wgcp peers_v4 { 10.0.0.2 }\n", RulesetDelta.elements(to, Set.of("10.0.0.4", "fd00::4"), Set.of("10.0.0.2")));
    }

    @Test
    void anyOtherChangeReplacesTheTable() {
        DesiredRuleset from = ruleset(1, "ip saddr @peers_v4 accept", "10.0.0.2");
        assertNotEquals(RulesetDelta.skeleton(from.script()), RulesetDelta.skeleton(ruleset(2, "ip saddr @peers_v4 drop", "10.0.0.2").script()),
                "a rule changed: not an element change");
        assertNull(RulesetDelta.elements(from, Set.of(), Set.of()), "nothing changed");
        DesiredRuleset twoV4Sets = new DesiredRuleset(3, "inet wgcp", "table inet wgcp {\n\tset a {\n\t\ttype ipv4_addr\n\t}\n"
                + "\tset b {\n\t\ttype ipv4_addr\n\t}\n}\n", "sha3", Set.of());
        assertNull(RulesetDelta.elements(twoV4Sets, Set.of("10.0.0.5"), Set.of()), "which set an address is in is not known");
        String skeleton = RulesetDelta.skeleton(from.script());
        assertEquals(false, skeleton.contains("10.0.0.2"), skeleton);
    }

    @Test
    void elementsOfAListingAreReadInOneSpelling() {
        String listing = "table inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.2, 10.0.0.3,\n\t\t\t     10.0.0.4 }\n"
                + "\t}\n\tset peers_v6 {\n\t\ttype ipv6_addr\n\t\telements = { fd00:100::2 }\n\t}\n}\n";
        assertEquals(Set.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "fd00:100::2"), RulesetDelta.elementsOf(listing));
        assertEquals(Set.of("fd00:100::2", "10.0.0.2"), RulesetDelta.canonical(Set.of("fd00:100:0:0:0:0:0:2", "10.0.0.2")));
        assertEquals("fd00::1:0:0:2", RulesetDelta.canonical("fd00:0:0:0:1:0:0:2"), "the longest run of zeros");
        assertEquals(false, RulesetDelta.skeleton(listing).contains("10.0.0.4"), RulesetDelta.skeleton(listing));
    }
}
