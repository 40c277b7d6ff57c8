package dev.wgcp.edge.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which live peers are worth reporting: those whose endpoint or latest handshake changed since the
 * last report. Transfer counters alone change with every packet and are carried along, not reported
 * on their own.
 */
public final class Observations {

    private Observations() {
    }

    public static List<LivePeer> changed(Map<String, LivePeer> reported, Map<String, LivePeer> live) {
        List<LivePeer> out = new ArrayList<>();
        for (LivePeer now : live.values()) {
            LivePeer before = reported.get(now.publicKey());
            if (now.endpoint() == null && now.latestHandshakeEpochSeconds() == 0) {
                continue; // never talked to us: nothing observed yet
            }
            if (before == null || !Objects.equals(before.endpoint(), now.endpoint())
                    || before.latestHandshakeEpochSeconds() != now.latestHandshakeEpochSeconds()) {
                out.add(now);
            }
        }
        return out;
    }
}
