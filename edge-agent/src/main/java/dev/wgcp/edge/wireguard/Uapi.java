package dev.wgcp.edge.wireguard;

import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * WireGuard's cross-platform configuration protocol (the UAPI that {@code wg} speaks to userspace
 * implementations over /var/run/wireguard/&lt;if&gt;.sock): {@code get=1} lists the device, {@code set=1}
 * changes it, both answered with {@code errno=N}. Keys travel as hex.
 */
public final class Uapi {

    private static final HexFormat HEX = HexFormat.of();

    private Uapi() {
    }

    /** The request that applies {@code changes} in one {@code set=1} operation. */
    public static String setRequest(List<PeerChange> changes) {
        StringBuilder sb = new StringBuilder("set=1\n");
        for (PeerChange c : changes) {
            sb.append("public_key=").append(hex(c.publicKey())).append('\n');
            if (c instanceof PeerChange.Remove) {
                sb.append("remove=true\n");
            } else if (c instanceof PeerChange.Upsert u) {
                sb.append("replace_allowed_ips=true\n");
                for (String ip : u.peer().allowedIps()) {
                    sb.append("allowed_ip=").append(ip).append('\n');
                }
                if (u.peer().endpoint() != null) {
                    sb.append("endpoint=").append(u.peer().endpoint()).append('\n'); // before the keepalive, which then starts at once
                }
                sb.append("persistent_keepalive_interval=").append(u.peer().persistentKeepalive()).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /** Peers from a {@code get=1} response; throws when the response carries a non-zero errno. */
    public static Map<String, LivePeer> parsePeers(String response) {
        Map<String, LivePeer> peers = new HashMap<>();
        Builder current = null;
        for (String line : response.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            switch (k) {
                case "public_key" -> {
                    if (current != null) {
                        peers.put(current.key, current.build());
                    }
                    current = new Builder(Base64.getEncoder().encodeToString(HEX.parseHex(v)));
                }
                case "endpoint" -> { if (current != null) current.endpoint = v; }
                case "allowed_ip" -> { if (current != null) current.allowed.add(v); }
                case "last_handshake_time_sec" -> { if (current != null) current.handshake = Long.parseLong(v); }
                case "rx_bytes" -> { if (current != null) current.rx = Long.parseLong(v); }
                case "tx_bytes" -> { if (current != null) current.tx = Long.parseLong(v); }
                case "persistent_keepalive_interval" -> { if (current != null) current.keepalive = Integer.parseInt(v); }
                case "errno" -> {
                    if (!"0".equals(v)) {
                        throw new IllegalStateException("WireGuard answered errno=" + v);
                    }
                }
                default -> { }
            }
        }
        if (current != null) {
            peers.put(current.key, current.build());
        }
        return peers;
    }

    /** Checks a {@code set=1} response. */
    public static void checkErrno(String response, String what) {
        for (String line : response.split("\n")) {
            if (line.startsWith("errno=") && !"errno=0".equals(line)) {
                throw new IllegalStateException(what + ": WireGuard answered " + line);
            }
        }
    }

    static String hex(String base64Key) {
        byte[] raw = Base64.getDecoder().decode(base64Key);
        if (raw.length != 32) {
            throw new IllegalArgumentException("public key " + base64Key + " is not 32 bytes");
        }
        return HEX.formatHex(raw);
    }

    private static final class Builder {
        final String key;
        String endpoint;
        final List<String> allowed = new ArrayList<>();
        long handshake;
        long rx;
        long tx;
        int keepalive;

        Builder(String key) {
            this.key = key;
        }

        LivePeer build() {
            return new LivePeer(key, endpoint, allowed, handshake, rx, tx, keepalive);
        }
    }
}
