package dev.wgcp.edge.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wgcp.edge.domain.DesiredPeer;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WgCliTest {

    @Test
    void oneWgSetCarriesTheWholeBatch() {
        List<String> cmd = WgCli.setCommand("wg0", List.of(
                new PeerChange.Remove("OLD=", "key revoked"),
                new PeerChange.Upsert(new DesiredPeer("NEW=", List.of("fd00::2/128", "10.0.0.2/32"), 25), "missing"),
                new PeerChange.Upsert(new DesiredPeer("SITE=", List.of("10.0.0.3/32"), 0), "missing")));
        assertEquals(List.of("wg", "set", "wg0",
                "peer", "OLD=", "remove",
                "peer", "NEW=", "allowed-ips", "10.0.0.2/32,fd00::2/128", "persistent-keepalive", "25",
                "peer", "SITE=", "allowed-ips", "10.0.0.3/32", "persistent-keepalive", "off"), cmd);
    }

    @Test
    void aLargeBatchIsSplitInOrderUnderTheArgumentBudget() {
        List<PeerChange> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            changes.add(new PeerChange.Upsert(new DesiredPeer("K" + i + "=", List.of("10.0.0." + i + "/32"), 25), "missing"));
        }
        List<List<String>> commands = WgCli.setCommands("wg0", changes, 1000);
        assertEquals(true, commands.size() > 1, "split: " + commands.size());
        List<String> keys = new java.util.ArrayList<>();
        for (List<String> cmd : commands) {
            assertEquals(List.of("wg", "set", "wg0"), cmd.subList(0, 3));
            assertEquals(true, cmd.stream().mapToInt(a -> a.length() + 1).sum() <= 1000, "within the budget: " + cmd);
            for (int i = 3; i < cmd.size(); i++) {
                if (cmd.get(i).equals("peer")) {
                    keys.add(cmd.get(i + 1));
                }
            }
        }
        assertEquals(changes.stream().map(PeerChange::publicKey).toList(), keys, "every change once, in order");
        assertEquals(List.of(WgCli.setCommand("wg0", changes)), WgCli.setCommands("wg0", changes, Integer.MAX_VALUE));
    }

    @Test
    void parsesDumpOutput() {
        String dump = "PRIV=\tPUB=\t51820\toff\n"
                + "A=\t(none)\t192.0.2.7:41000\t10.0.0.2/32,fd00::2/128\t1700000000\t1234\t5678\t25\n"
                + "B=\t(none)\t(none)\t(none)\t0\t0\t0\toff\n";
        Map<String, LivePeer> peers = WgDump.parsePeers(dump);
        assertEquals(new LivePeer("A=", "192.0.2.7:41000", List.of("10.0.0.2/32", "fd00::2/128"), 1700000000, 1234, 5678, 25), peers.get("A="));
        assertNull(peers.get("B=").endpoint());
        assertEquals(List.of(), peers.get("B=").allowedIps());
        assertEquals(0, peers.get("B=").persistentKeepalive());
        assertThrows(IllegalArgumentException.class, () -> WgDump.parsePeers("x\ty\tz\tw\nbad line\n"));
    }
}
