package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.FirewallRulesetChanged;
import dev.wgcp.events.v1.KeyRotated;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.schemas.EventMetadataFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What may reach wireguard-go, wg and nft from a record, whoever signed it. */
class RecordChecksTest {

    private static final EventMetadataFactory META = new EventMetadataFactory("test", Clock.systemUTC());
    private static final String PEER = "7a3f1a52-39a4-4d0e-9b57-0c1a2b3c4d5e";
    private static final String KEY = "pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPXw=";

    private static PeerRegistered.Builder peer() {
        return PeerRegistered.newBuilder().setMetadata(META.create("t", 1)).setPeerId(PEER).setNetworkId("home").setPublicKey(KEY)
                .setPersistentKeepaliveSeconds(25).setTags(List.of());
    }

    private static AddressAssigned.Builder address() {
        return AddressAssigned.newBuilder().setMetadata(META.create("t", 1)).setPeerId(PEER).setNetworkId("home").setPool("home-v4")
                .setIpv4Address("10.100.0.2");
    }

    @Test
    void wellFormedRecordsPass() {
        assertNull(RecordChecks.problem(peer().build(), PEER));
        assertNull(RecordChecks.problem(peer().setEndpoint("site.example.net:51820").setEdgeId("edge-0").build(), PEER));
        assertNull(RecordChecks.problem(peer().setEndpoint("[2001:db8::1]:51820").build(), PEER));
        assertNull(RecordChecks.problem(address().setIpv6Address("fd00:0:0:0:0:0:0:2").build(), PEER));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPXw=\nallowed_ip=0.0.0.0/0",   // a UAPI line smuggled after the key
        "pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPX",                       // too short
        "AAAA",
        "pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPXw=AAAA",                 // too long
        "pRZnJ0mGfJ6ZKuSgl3DwONbOaFKbbdwH4Y2/VnGwPXw_",                     // not base64
    })
    void keysThatAreNot32BytesOfBase64AreRefused(String key) {
        String p = RecordChecks.problem(peer().setPublicKey(key).build(), PEER);
        assertNotNull(p);
        assertTrue(p.contains("expected 32 bytes in base64") && !p.contains("\n"), p);
        assertNotNull(RecordChecks.problem(KeyRotated.newBuilder().setMetadata(META.create("t", 2)).setPeerId(PEER).setNetworkId("home")
                .setOldPublicKey(KEY).setNewPublicKey(key).setOldKeyRevokedAt(Instant.now()).build(), PEER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.100.0.2\nallowed_ip=0.0.0.0/0", "10.100.0.2/0", "0.0.0.0/0", "10.100.0.256", "host.example", "::ffff:10.0.0.1",
        "10.100.0.2 ", ""})
    void ipv4AddressesMustBeOneLiteral(String a) {
        assertNotNull(RecordChecks.problem(address().setIpv4Address(a).build(), PEER), a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd00::2\nallowed_ip=::/0", "fd00::/64", "::ffff:10.0.0.1", "10.0.0.1", "fd00::g", "example.com"})
    void ipv6AddressesMustBeOneLiteralOfTheirFamily(String a) {
        assertNotNull(RecordChecks.problem(address().setIpv6Address(a).build(), PEER), a);
    }

    @Test
    void keepalivesEndpointsIdsAndKeysOutOfShapeAreRefused() {
        assertNotNull(RecordChecks.problem(peer().setPersistentKeepaliveSeconds(-1).build(), PEER));
        assertNotNull(RecordChecks.problem(peer().setPersistentKeepaliveSeconds(65536).build(), PEER));
        for (String e : List.of("site.example.net", "site.example.net:0", "site.example.net:70000", "a b:51820", "[10.0.0.1]:51820",
                "site.example.net:51820\nendpoint=1.2.3.4:1", "x".repeat(300) + ":51820")) {
            assertNotNull(RecordChecks.problem(peer().setEndpoint(e).build(), PEER), e);
        }
        assertNotNull(RecordChecks.problem(peer().setName("laptop\nprivate_key=AAAA").build(), PEER));
        assertNotNull(RecordChecks.problem(peer().setPeerId("not-a-uuid").build(), "not-a-uuid"));
        assertNotNull(RecordChecks.problem(peer().setNetworkId("Home\n").build(), PEER));
        assertNotNull(RecordChecks.problem(address().setEdgeId("edge 0").build(), PEER));
        String moved = RecordChecks.problem(peer().build(), "11111111-2222-3333-4444-555555555555");
        assertTrue(moved != null && moved.contains("key"), "a signed record moved under another peer's key: " + moved);
    }

    private static FirewallRulesetChanged ruleset(String edge, String table, String script) {
        return FirewallRulesetChanged.newBuilder().setMetadata(META.create("t", 1)).setEdgeId(edge).setTable(table).setRuleset(script)
                .setSha256(sha(script)).setAllowedAddresses(List.of("10.100.0.2", "fd00::2")).build();
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> goldenRulesets() throws Exception {
        return Files.list(Path.of("..", "firewall-sync", "src", "test", "resources", "compiler")).filter(p -> p.toString().endsWith(".nft"));
    }

    @ParameterizedTest
    @MethodSource("goldenRulesets")
    void everyRulesetTheCompilerWritesPasses(Path golden) throws Exception {
        assertNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", Files.readString(golden)), "edge-0"), golden.toString());
    }

    private static final String OK = "table inet wgcp {}\ndelete table inet wgcp\ntable inet wgcp {\n\tset peers_v4 {\n\t\ttype ipv4_addr\n"
            + "\t\telements = { 10.100.0.2 }\n\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n"
            + "\t\tiifname \"wg0\" ip saddr != @peers_v4 drop\n\t}\n}\n";

    @ParameterizedTest
    @ValueSource(strings = {
        "flush ruleset\n",                                                    // the whole host firewall
        "delete table inet filter\n",                                         // another table
        "table ip nat {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat;\n\t\tmasquerade\n\t}\n}\n",
        "include \"/etc/nftables.conf\"\n",
        "define ANY = 0.0.0.0/0\n",
    })
    void statementsOutsideTheAgentsTableAreRefused(String extra) {
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", OK + extra), "edge-0"), extra);
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", extra + OK), "edge-0"), extra);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\t\tiifname \"wg0\" accept; delete table inet filter\n",
        "\t\tadd rule inet filter input accept\n",
        "\t\tiifname $LAN accept\n",
        "\t\tip saddr 10.0.0.0/8 accept # trailing\n",
        "\t}\n}\ntable ip filter {\n\tchain input {\n",
        "\t\tiifname \"wg0\n",
    })
    void rulesInsideTheTableThatReachBeyondItAreRefused(String line) {
        String script = OK.replace("\t\tiifname \"wg0\" ip saddr != @peers_v4 drop\n", line);
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", script), "edge-0"), line);
    }

    @Test
    void theRulesetsFrameIsChecked() {
        assertNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", OK), "edge-0"));
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "ip filter", OK), "edge-0"), "only table inet wgcp");
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", OK), "edge-1"), "key and edge agree");
        FirewallRulesetChanged tampered = ruleset("edge-0", "inet wgcp", OK);
        tampered.setRuleset(OK.replace("drop", "accept"));
        assertNotNull(RecordChecks.problem(tampered, "edge-0"), "hash matches text");
        FirewallRulesetChanged badAddress = ruleset("edge-0", "inet wgcp", OK);
        badAddress.setAllowedAddresses(List.of("10.100.0.2, 0.0.0.0/0"));
        assertNotNull(RecordChecks.problem(badAddress, "edge-0"));
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", OK.replace("}\n", "")), "edge-0"), "unbalanced");
        assertNotNull(RecordChecks.problem(ruleset("edge-0", "inet wgcp", OK.replace("\n", "\r\n")), "edge-0"));
    }
}
