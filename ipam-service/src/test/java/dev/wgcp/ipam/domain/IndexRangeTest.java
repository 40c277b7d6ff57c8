package dev.wgcp.ipam.domain;

import dev.wgcp.kit.domain.Refusal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IndexRangeTest {

    @Test
    void minusLeavesWhatIsOutsideTheCut() {
        IndexRange r = new IndexRange(10, 20);
        assertEquals(List.of(new IndexRange(10, 12), new IndexRange(16, 20)), r.minus(new IndexRange(13, 15)));
        assertEquals(List.of(new IndexRange(16, 20)), r.minus(new IndexRange(1, 15)));
        assertEquals(List.of(new IndexRange(10, 12)), r.minus(new IndexRange(13, 99)));
        assertEquals(List.of(), r.minus(new IndexRange(10, 20)));
        assertEquals(List.of(r), r.minus(new IndexRange(21, 30)));
    }

    @Test
    void sizeSaturatesForHugeIpv6Ranges() {
        assertEquals(11, new IndexRange(10, 20).size());
        assertEquals(Long.MAX_VALUE - 1, new IndexRange(1, Long.MAX_VALUE - 1).size());
    }

    @Test
    void anEmptyRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IndexRange(5, 4));
    }

    @Test
    void poolRefusesAddressesOutsideItWithTheUsableRange() {
        Pool pool = new Pool("home-v4", "home", Cidr.parse("10.100.0.0/24"), null, null, 0, 0, null);
        assertEquals(5, pool.indexOf("10.100.0.5"));
        Refusal outside = assertThrows(Refusal.class, () -> pool.indexOf("10.100.1.5"));
        assertTrue(outside.getMessage().contains("expected 10.100.0.1 to 10.100.0.254"), outside.getMessage());
        assertThrows(Refusal.class, () -> pool.indexOf("10.100.0.255"), "broadcast");
        assertThrows(Refusal.class, () -> pool.indexOf("10.100.0.0"), "network address");
        Refusal junk = assertThrows(Refusal.class, () -> pool.indexOf("ten"));
        assertTrue(junk.getMessage().contains("not an IP address"), junk.getMessage());
    }

    @Test
    void namesAreChecked() {
        assertEquals("home-v4", Pool.checkName("home-v4"));
        Refusal e = assertThrows(Refusal.class, () -> Pool.checkName("Home V4"));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
        assertThrows(Refusal.class, () -> Pool.checkNetwork("a b"));
        assertThrows(Refusal.class, () -> Pool.checkEdge("edge 1"));
    }
}
