package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A site-to-site peer the edge dials: set its endpoint, follow its name, never fight WireGuard's roaming. */
class SiteToSiteEndpointTest {

    private static final DesiredPeer SITE = new DesiredPeer("S", List.of("10.0.0.9/32"), 25, "198.51.100.7:51820");
    private static final long NOW = System.currentTimeMillis() / 1000;

    private static List<PeerChange> diff(LivePeer live) {
        return PeerDiff.diff(Map.of("S", SITE), live == null ? Map.of() : Map.of("S", live), true, Set.of());
    }

    @Test
    void aNewSitePeerIsDialledAtItsEndpoint() {
        assertEquals(List.of(new PeerChange.Upsert(SITE, "missing")), diff(null));
        assertEquals(List.of(new PeerChange.Upsert(SITE, "endpoint null should be 198.51.100.7:51820")),
                diff(new LivePeer("S", null, List.of("10.0.0.9/32"), 0, 0, 0, 25)));
    }

    @Test
    void anotherEndpointIsLeftAloneWhileHandshakesWorkAndReplacedWhenTheyStop() {
        LivePeer roamed = new LivePeer("S", "203.0.113.5:51820", List.of("10.0.0.9/32"), NOW - 20, 0, 0, 25);
        assertEquals(List.of(), diff(roamed), "WireGuard follows a site that roamed and still answers");
        LivePeer stale = new LivePeer("S", "203.0.113.5:51820", List.of("10.0.0.9/32"), NOW - 600, 0, 0, 25);
        List<PeerChange> repaired = diff(stale);
        assertEquals(1, repaired.size());
        assertEquals(true, repaired.get(0).reason().startsWith("endpoint 203.0.113.5:51820 should be 198.51.100.7:51820 (no handshake for"),
                repaired.get(0).reason());
    }

    @Test
    void namesAreResolvedEachTimeAndBadOnesGiveNothing() throws UnknownHostException {
        InetAddress[] current = {InetAddress.getByName("198.51.100.7")};
        Endpoints endpoints = new Endpoints(host -> host.equals("site.example.net") ? current[0] : null);
        assertEquals(Optional.of("198.51.100.7:51820"), endpoints.resolve("site.example.net:51820"));
        current[0] = InetAddress.getByName("198.51.100.8"); // the site's dynamic IP changed, and DNS with it
        assertEquals(Optional.of("198.51.100.8:51820"), endpoints.resolve("site.example.net:51820"));
        assertEquals(Optional.empty(), endpoints.resolve("nowhere.example.net:51820"));
        assertEquals(Optional.empty(), endpoints.resolve("site.example.net"), "no port");
        assertEquals(Optional.of("[2001:db8::7]:51820"), new Endpoints().resolve("[2001:db8::7]:51820"));
        assertEquals(Optional.of("192.0.2.1:51820"), new Endpoints().resolve("192.0.2.1:51820"));
    }
}
