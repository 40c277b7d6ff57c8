package dev.wgcp.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads a userspace WireGuard interface's peers straight from its control socket
 * (/var/run/wireguard/&lt;if&gt;.sock, the cross-platform UAPI that {@code wg show} itself uses), without
 * spawning a process: cheap enough to poll every millisecond in a benchmark.
 */
public final class WgUapi {

    private WgUapi() {
    }

    /** Peers on {@code ifName}: base64 public key to its allowed-ips. */
    public static Map<String, List<String>> peers(String ifName) throws IOException {
        String response;
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(WireGuardGo.SOCKET_DIR.resolve(ifName + ".sock")))) {
            ch.write(ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf.array(), 0, n);
                int size = out.size();
                byte[] all = out.toByteArray();
                if (size >= 2 && all[size - 1] == '\n' && all[size - 2] == '\n') {
                    break;
                }
            }
            response = out.toString(StandardCharsets.US_ASCII);
        }
        Map<String, List<String>> peers = new HashMap<>();
        List<String> current = null;
        for (String line : response.split("\n")) {
            if (line.startsWith("public_key=")) {
                current = new ArrayList<>();
                peers.put(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(line.substring(11))), current);
            } else if (line.startsWith("allowed_ip=") && current != null) {
                current.add(line.substring(11));
            } else if (line.startsWith("errno=") && !"errno=0".equals(line)) {
                throw new IOException("UAPI get on " + ifName + " failed: " + line);
            }
        }
        return peers;
    }
}
