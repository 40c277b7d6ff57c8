package dev.wgcp.edge.wireguard;

import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link WireGuard} for userspace implementations (wireguard-go), through the interface's control
 * socket: no process is spawned per read or change, and a batch of changes is one {@code set=1}
 * operation that the implementation applies under its device lock. Every exchange has a deadline:
 * a wireguard-go that hangs fails the call (and the pass is retried) instead of the agent's thread.
 */
public final class WgUapiClient implements WireGuard {

    /** Long enough for wireguard-go to apply a batch of tens of thousands of peers. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String ifName;
    private final Path socket;
    private final Duration timeout;

    public WgUapiClient(String ifName, Path socketDir) {
        this(ifName, socketDir, DEFAULT_TIMEOUT);
    }

    public WgUapiClient(String ifName, Path socketDir, Duration timeout) {
        this.ifName = ifName;
        this.socket = socketDir.resolve(ifName + ".sock");
        this.timeout = timeout;
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
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket)); Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline);
                ch.write(out);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream in = new ByteArrayOutputStream(8192);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            byte last = 0;
            byte beforeLast = 0;
            while (true) {
                await(selector, deadline);
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
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException(ifName + " at " + socket + " did not answer within " + timeout.toMillis()
                    + " ms (wireguard-go hung or overloaded); the pass is retried", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to " + ifName + " at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the channel is ready for what its key asks, or throws when the deadline passed. */
    private static void await(Selector selector, long deadline) throws IOException {
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            if (selector.select(left) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }
}
