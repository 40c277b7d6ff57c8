package dev.wgcp.edge.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wgcp.edge.domain.DesiredPeer;
import dev.wgcp.edge.domain.LivePeer;
import dev.wgcp.edge.domain.PeerChange;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UapiTest {

    private static final byte[] A = new byte[32];
    private static final byte[] B = new byte[32];

    static {
        A[31] = 1;
        B[0] = (byte) 0xff;
    }

    private static final String KEY_A = Base64.getEncoder().encodeToString(A);
    private static final String KEY_B = Base64.getEncoder().encodeToString(B);
    private static final String HEX_A = "0000000000000000000000000000000000000000000000000000000000000001";
    private static final String HEX_B = "ff00000000000000000000000000000000000000000000000000000000000000";

    @Test
    void oneSetOperationCarriesTheWholeBatch() {
        String request = Uapi.setRequest(List.of(
                new PeerChange.Remove(KEY_B, "key revoked"),
                new PeerChange.Upsert(new DesiredPeer(KEY_A, List.of("10.0.0.2/32", "fd00::2/128"), 25), "missing")));
        assertEquals("set=1\n"
                + "public_key=" + HEX_B + "\nremove=true\n"
                + "public_key=" + HEX_A + "\nreplace_allowed_ips=true\nallowed_ip=10.0.0.2/32\nallowed_ip=fd00::2/128\n"
                + "persistent_keepalive_interval=25\n"
                + "\n", request);
    }

    @Test
    void parsesGetResponses() {
        String response = "private_key=" + HEX_B + "\nlisten_port=51820\n"
                + "public_key=" + HEX_A + "\nprotocol_version=1\nendpoint=192.0.2.2:41000\nlast_handshake_time_sec=1700000000\n"
                + "last_handshake_time_nsec=5\ntx_bytes=10\nrx_bytes=20\npersistent_keepalive_interval=25\nallowed_ip=10.0.0.2/32\n"
                + "public_key=" + HEX_B + "\nlast_handshake_time_sec=0\ntx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=0\n"
                + "errno=0\n\n";
        Map<String, LivePeer> peers = Uapi.parsePeers(response);
        assertEquals(new LivePeer(KEY_A, "192.0.2.2:41000", List.of("10.0.0.2/32"), 1700000000, 20, 10, 25), peers.get(KEY_A));
        assertEquals(new LivePeer(KEY_B, null, List.of(), 0, 0, 0, 0), peers.get(KEY_B));
        assertThrows(IllegalStateException.class, () -> Uapi.parsePeers("errno=22\n\n"));
        assertThrows(IllegalStateException.class, () -> Uapi.checkErrno("errno=1\n\n", "set"));
    }
}
