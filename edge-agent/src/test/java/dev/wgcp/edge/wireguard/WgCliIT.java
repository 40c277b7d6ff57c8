package dev.wgcp.edge.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.edge.domain.DesiredPeer;
import dev.wgcp.edge.domain.PeerChange;
import dev.wgcp.infra.Netns;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code wg set} on a real interface (wireguard-go in a namespace of its own) with a first start's worth of peers. */
class WgCliIT {

    @Test
    void twentyThousandPeersGoOnInSeveralWgSetsUnderTheCommandLineLimit() {
        String id = Netns.uniqueSuffix();
        String ifName = "wgk" + id;
        try (Netns ns = Netns.create("wgcp-it-k" + id)) {
            ns.startWireGuard(ifName);
            List<PeerChange> changes = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                byte[] key = ByteBuffer.allocate(32).putInt(28, i + 1).array();
                changes.add(new PeerChange.Upsert(new DesiredPeer(Base64.getEncoder().encodeToString(key),
                        List.of("10." + (100 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + "/32", "fd00::" + Integer.toHexString(i + 1) + "/128"),
                        25, "198.51.100." + (i % 250 + 1) + ":51820"), "missing"));
            }
            int oneCommand = String.join(" ", WgCli.setCommand(ifName, changes)).length();
            assertTrue(oneCommand > 2 * 1024 * 1024, "more than a command line takes at once: " + oneCommand + " bytes");
            WgCli wg = new WgCli(ifName, List.of("ip", "netns", "exec", ns.name()));
            wg.apply(changes);
            assertEquals(20_000, wg.peers().size());
            wg.apply(changes.subList(0, 10).stream().<PeerChange>map(c -> new PeerChange.Remove(c.publicKey(), "key revoked")).toList());
            assertEquals(19_990, wg.peers().size());
        }
    }
}
