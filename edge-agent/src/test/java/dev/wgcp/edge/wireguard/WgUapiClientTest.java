package dev.wgcp.edge.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control-socket client against a socket that answers, and one that never does (a hung wireguard-go). */
class WgUapiClientTest {

    @TempDir
    Path dir;

    @Test
    void aControlSocketThatNeverAnswersFailsTheCallAtItsDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ServerSocketChannel server = listen("hung")) {
            Thread peer = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(1024)); // reads the request, answers nothing
                    release.await(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            peer.setDaemon(true);
            peer.start();
            WgUapiClient client = new WgUapiClient("hung", dir, Duration.ofMillis(300));
            UncheckedIOException timedOut = assertThrows(UncheckedIOException.class, client::peers);
            assertTrue(timedOut.getMessage().contains("did not answer within 300 ms"), timedOut.getMessage());
        } finally {
            release.countDown();
        }
    }

    @Test
    void anAnsweringControlSocketIsRead() throws Exception {
        try (ServerSocketChannel server = listen("answers")) {
            Thread peer = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    StringBuilder request = new StringBuilder();
                    ByteBuffer buf = ByteBuffer.allocate(1024);
                    while (!request.toString().endsWith("\n\n") && c.read(buf.clear()) > 0) {
                        request.append(StandardCharsets.US_ASCII.decode(buf.flip()));
                    }
                    c.write(ByteBuffer.wrap(("private_key=" + "00".repeat(32) + "\nlisten_port=51820\n"
                            + "public_key=" + "11".repeat(32) + "\nallowed_ip=10.0.0.2/32\nerrno=0\n\n").getBytes(StandardCharsets.US_ASCII)));
                } catch (Exception ignored) {
                    // the client failed: its assertion says why
                }
            });
            peer.setDaemon(true);
            peer.start();
            Map<String, ?> peers = new WgUapiClient("answers", dir, Duration.ofSeconds(10)).peers();
            assertEquals(1, peers.size(), String.valueOf(peers));
        }
    }

    private ServerSocketChannel listen(String ifName) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(ifName + ".sock")));
        return server;
    }
}
