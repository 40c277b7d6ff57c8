package dev.wgcp.edge.wireguard;

import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link WireGuard} for userspace implementations (wireguard-go), through the interface's control
 * socket: no process is spawned per read or change, and a batch of changes is one {@code set=1}
 * operation that the implementation applies under its device lock.
 */
public final class WgUapiClient implements WireGuard {

    private final String ifName;
    private final Path socket;

    public WgUapiClient(String ifName, Path socketDir) {
        this.ifName = ifName;
        this.socket = socketDir.resolve(ifName + ".sock");
    }

    @Override
    public Map<String, LivePeer> peers() {
        return Uapi.parsePeers(exchange("get=1\n\n"));
    }

    @Override
    public void apply(List<PeerChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Uapi.checkErrno(exchange(Uapi.setRequest(changes)), "set on " + ifName);
    }

    private String exchange(String request) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream(8192);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            byte last = 0;
            byte beforeLast = 0;
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                in.write(buf.array(), 0, n);
                if (n >= 2) {
                    beforeLast = buf.array()[n - 2];
                    last = buf.array()[n - 1];
                } else if (n == 1) {
                    beforeLast = last;
                    last = buf.array()[0];
                }
                if (last == '\n' && beforeLast == '\n') {
                    break; // a response ends with an empty line
                }
            }
            return in.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to " + ifName + " at " + socket + ": " + e.getMessage(), e);
        }
    }
}
