package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: peers and policies in, the exact nft script out. */
class RulesetCompilerTest {

    private static final EdgeSpec EDGE = new EdgeSpec("edge-0", "home", "wg0");
    private static final String P1 = "11111111-1111-1111-1111-111111111111";
    private static final String P2 = "22222222-2222-2222-2222-222222222222";
    private static final String P3 = "33333333-3333-3333-3333-333333333333";

    /** Three peers: p1 admin (IPv4 and IPv6), p2 admin and dev (in both groups: overlapping), p3 dev and named explicitly. */
    static final List<FirewallPeer> PEERS = List.of(
            new FirewallPeer(P1, "10.100.0.2", "fd00::2", Set.of("admin"), "198.51.100.7"),
            new FirewallPeer(P2, "10.100.0.3", null, Set.of("admin", "dev"), "2001:db8::9"),
            new FirewallPeer(P3, "10.100.0.4", "fd00::4", Set.of("dev"), null));

    /** admins may ssh to devs; devs reach two networks behind the edge; on edge-1 only, devs may ping admins; ssh to the edge from admins' public addresses. */
    static final PolicySet POLICIES = new PolicySet(
            List.of(new PeerGroup("home", "admins", List.of("admin"), List.of(), false, 0),
                    new PeerGroup("home", "devs", List.of("dev"), List.of(P3), false, 1)),
            List.of(new Policy("home", "admin-ssh", "admins", "devs", null, Protocol.TCP, List.of("22", "8000-8080"), List.of()),
                    new Policy("home", "devs-lab", "devs", null, List.of("10.20.0.0/16", "fd00:20:0::/48"), Protocol.ANY, List.of(), List.of()),
                    new Policy("home", "ping-edge1", "devs", "admins", null, Protocol.ICMP, List.of(), List.of("edge-1"))),
            List.of(new AllowList("home", "mgmt", "admins", Protocol.TCP, List.of("22"), List.of())));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no policies: peers reach the edge, nothing is forwarded", EDGE, PEERS, PolicySet.EMPTY, "no-policies.nft"),
                Arguments.of("groups, policies, an allow-list, IPv6, overlapping groups", EDGE, PEERS, POLICIES, "policies-edge-0.nft"),
                Arguments.of("a per-edge policy appears on its edge only", new EdgeSpec("edge-1", "home", "wg1"), PEERS, POLICIES,
                        "policies-edge-1.nft"),
                Arguments.of("no peers: empty sets, the same rules", EDGE, List.of(), POLICIES, "policies-no-peers.nft"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compiles(String name, EdgeSpec edge, List<FirewallPeer> peers, PolicySet policies, String expected) throws IOException {
        assertEquals(resource(expected), RulesetCompiler.compile(edge, peers, policies).text(), name);
    }

    /** An edge with two interfaces, two networks: each its own sets, no rule lets one network into the other. */
    static Ruleset twoInterfaces() {
        EdgeSpec edge = new EdgeSpec("edge-0", List.of(new EdgeSpec.Interface("wg1", "lab"), new EdgeSpec.Interface("wg0", "home")));
        List<FirewallPeer> home = List.of(new FirewallPeer(P1, "10.100.0.2", null, Set.of("admin"), "198.51.100.7"));
        List<FirewallPeer> lab = List.of(new FirewallPeer("44444444-4444-4444-4444-444444444444", "10.200.0.2", "fd00:200::2", Set.of("robot"),
                "203.0.113.5"), new FirewallPeer("55555555-5555-5555-5555-555555555555", "10.200.0.3", null, Set.of("robot"), null));
        PolicySet homeSet = new PolicySet(List.of(new PeerGroup("home", "admins", List.of("admin"), List.of(), false, 0)), List.of(),
                List.of(new AllowList("home", "mgmt", "admins", Protocol.TCP, List.of("22"), List.of())));
        PolicySet labSet = new PolicySet(List.of(new PeerGroup("lab", "robots", List.of("robot"), List.of(), false, 0)),
                List.of(new Policy("lab", "robots-talk", "robots", "robots", null, Protocol.UDP, List.of("5000-5100"), List.of())),
                List.of(new AllowList("lab", "lab-mgmt", "robots", Protocol.TCP, List.of("22"), List.of())));
        return RulesetCompiler.compile(edge, java.util.Map.of("home", home, "lab", lab), java.util.Map.of("home", homeSet, "lab", labSet));
    }

    @Test
    void anEdgeWithTwoInterfacesGetsTheRulesOfBothNetworks() throws IOException {
        Ruleset r = twoInterfaces();
        assertEquals(resource("two-interfaces.nft"), r.text());
        assertEquals(List.of("10.100.0.2", "10.200.0.2", "10.200.0.3", "fd00:200::2"), r.allowedAddresses());
        assertThrows(IllegalArgumentException.class, () -> RulesetCompiler.compile(new EdgeSpec("e", List.of(
                new EdgeSpec.Interface("wg0", "home"), new EdgeSpec.Interface("wg1", "lab"))), PEERS, POLICIES), "which network's peers?");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = RulesetCompilerTest.class.getResourceAsStream("/compiler/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theAllowedAddressesAreEveryActivePeersTunnelAddresses() {
        assertEquals(List.of("10.100.0.2", "10.100.0.3", "10.100.0.4", "fd00::2", "fd00::4"),
                RulesetCompiler.compile(EDGE, PEERS, POLICIES).allowedAddresses());
    }

    @Test
    void aPolicyWhoseGroupIsGoneAllowsNothing() {
        PolicySet dangling = new PolicySet(POLICIES.groups().subList(0, 1), POLICIES.policies().subList(0, 1), List.of());
        String text = RulesetCompiler.compile(EDGE, PEERS, dangling).text();
        assertTrue(text.contains("# policy admin-ssh: group devs does not exist, so it allows nothing"), text);
        assertTrue(!text.contains("comment \"admin-ssh\""), text);
    }

    @Test
    void emptySetsHaveNoElementsLineAndTheHashFollowsTheContent() {
        Ruleset empty = RulesetCompiler.compile(EDGE, List.of());
        assertEquals(false, empty.text().contains("elements"));
        Ruleset one = RulesetCompiler.compile(EDGE, List.of(new FirewallPeer(P1, "10.100.0.2", null, Set.of(), null)));
        assertNotEquals(empty.sha256(), one.sha256());
        assertEquals(one.sha256(), RulesetCompiler.compile(EDGE, List.of(new FirewallPeer(P1, "10.100.0.2", null, Set.of(), null))).sha256());
        assertEquals(64, one.sha256().length());
    }

    @Test
    void refusesInterfaceNamesThatCouldInjectIntoTheScript() {
        assertThrows(IllegalArgumentException.class, () -> new EdgeSpec("e", "home", "wg0\" accept"));
        assertThrows(IllegalArgumentException.class, () -> new EdgeSpec("e", "home", "an-interface-name-too-long"));
    }

    @Test
    void definitionsAreCheckedWithWhatIsExpected() {
        assertTrue(assertThrows(Refusal.class, () -> new PeerGroup("home", "Admins!", List.of("a"), List.of(), false, 0))
                .getMessage().contains("a-z, 0-9 and '-'"));
        assertTrue(assertThrows(Refusal.class, () -> new PeerGroup("home", "nobody", List.of(), List.of(), false, 0))
                .getMessage().contains("selects nobody"));
        assertTrue(assertThrows(Refusal.class, () -> new PeerGroup("home", "g", List.of(), List.of("p1"), false, 0))
                .getMessage().contains("not a peer id"));
        assertTrue(assertThrows(Refusal.class, () -> new Policy("home", "p", "a", "b", List.of("10.0.0.0/8"), Protocol.ANY,
                List.of(), List.of())).getMessage().contains("exactly one destination"));
        assertTrue(assertThrows(Refusal.class, () -> new Policy("home", "p", "a", null, List.of("10.0.0.1/8"), Protocol.ANY,
                List.of(), List.of())).getMessage().contains("host bits set"));
        assertTrue(assertThrows(Refusal.class, () -> new Policy("home", "p", "a", "b", null, Protocol.ICMP,
                List.of("22"), List.of())).getMessage().contains("need protocol tcp or udp"));
        assertTrue(assertThrows(Refusal.class, () -> new Policy("home", "p", "a", "b", null, Protocol.TCP,
                List.of("70000"), List.of())).getMessage().contains("1 to 65535"));
        assertTrue(assertThrows(Refusal.class, () -> new Policy("home", "p", "a", "b", null, Protocol.TCP,
                List.of("90-80"), List.of())).getMessage().contains("ends before it starts"));
        assertTrue(assertThrows(Refusal.class, () -> new Policy("home", "p", null, "b", null, Protocol.ANY, List.of(), List.of()))
                .getMessage().contains("from is missing"));
        assertTrue(assertThrows(Refusal.class, () -> new AllowList("home", "m", null, Protocol.TCP, List.of("22"), List.of()))
                .getMessage().contains("group is missing"));
        assertTrue(assertThrows(Refusal.class, () -> Protocol.parse("sctp")).getMessage().contains("tcp, udp, icmp or any"));
        assertTrue(assertThrows(Refusal.class, () -> new AllowList("home", "m", "a", Protocol.ANY, List.of("22"), List.of()))
                .getMessage().contains("protocol tcp or udp"));
        assertEquals("fd00:20::/48", Cidrs.check("fd00:20:0:0::/48"));
        assertEquals("2001:db8:0:0:1::/96", Cidrs.check("2001:0db8:0:0:1::/96"), "the longest run of zeros is what :: stands for");
        assertEquals("10.20.0.0/16", Cidrs.check(" 10.20.0.0/16 "));
    }
}
