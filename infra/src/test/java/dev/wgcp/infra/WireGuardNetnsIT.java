package dev.wgcp.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Two namespaces joined by veth, a wireguard-go tunnel between them, and a ping through it. */
class WireGuardNetnsIT {

    @Test
    void tunnelBetweenNamespacesCarriesPingAndCleansUp() throws Exception {
        String id = Netns.uniqueSuffix();
        String serverIf = "wgs" + id;
        String clientIf = "wgc" + id;
        String serverNs = "wgcp-it-s" + id;
        try (Netns server = Netns.create(serverNs); Netns client = Netns.create("wgcp-it-c" + id)) {
            server.link("vs" + id, "192.0.2.1/24", client, "vc" + id, "192.0.2.2/24");
            String serverKey = Shell.run("wg", "genkey").strip();
            String clientKey = Shell.run("wg", "genkey").strip();
            String serverPub = WgKeys.publicKey(serverKey);
            String clientPub = WgKeys.publicKey(clientKey);

            server.startWireGuard(serverIf);
            client.startWireGuard(clientIf);
            WgKeys.setPrivateKey(serverIf, serverKey, 51820);
            WgKeys.setPrivateKey(clientIf, clientKey, 0);
            Shell.run("wg", "set", serverIf, "peer", clientPub, "allowed-ips", "10.9.0.2/32");
            Shell.run("wg", "set", clientIf, "peer", serverPub, "allowed-ips", "10.9.0.0/24", "endpoint", "192.0.2.1:51820");
            server.exec("ip", "addr", "add", "10.9.0.1/24", "dev", serverIf);
            server.exec("ip", "link", "set", serverIf, "up");
            client.exec("ip", "addr", "add", "10.9.0.2/24", "dev", clientIf);
            client.exec("ip", "link", "set", clientIf, "up");

            assertEquals(0, client.tryExec("ping", "-c", "1", "-W", "5", "10.9.0.1").exitCode());
            assertTrue(Shell.run("wg", "show", serverIf, "endpoints").contains("192.0.2.2"));
            // The control socket says what 'wg show' says.
            assertEquals(java.util.Map.of(clientPub, java.util.List.of("10.9.0.2/32")), WgUapi.peers(serverIf));
        }
        assertFalse(Files.exists(WireGuardGo.SOCKET_DIR.resolve(serverIf + ".sock")));
        assertFalse(Shell.run("ip", "netns", "list").contains(serverNs));
    }
}
