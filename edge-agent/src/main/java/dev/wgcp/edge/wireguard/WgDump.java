package dev.wgcp.edge.wireguard;

import dev.wgcp.edge.domain.LivePeer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code wg show <if> dump}: a first line for the interface (private key, public key, listen
 * port, fwmark), then one tab-separated line per peer: public key, preshared key, endpoint,
 * allowed-ips, latest handshake, rx bytes, tx bytes, persistent keepalive.
 */
public final class WgDump {

    private WgDump() {
    }

    public static Map<String, LivePeer> parsePeers(String dump) {
        Map<String, LivePeer> peers = new HashMap<>();
        String[] lines = dump.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 8) {
                throw new IllegalArgumentException("unexpected 'wg show dump' peer line with " + f.length + " fields (expected 8)");
            }
            List<String> allowed = "(none)".equals(f[3]) ? List.of() : new ArrayList<>(Arrays.asList(f[3].split(",")));
            peers.put(f[0], new LivePeer(f[0], "(none)".equals(f[2]) ? null : f[2], allowed, Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), "off".equals(f[7]) ? 0 : Integer.parseInt(f[7])));
        }
        return peers;
    }
}
