package dev.wgcp.ipam.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void ipv4HostsExcludeNetworkAndBroadcast() {
        Cidr c = Cidr.parse("10.100.0.0/24");
        assertEquals(254, c.usableHosts());
        assertEquals("10.100.0.1", c.address(1).getHostAddress());
        assertEquals("10.100.0.254", c.address(254).getHostAddress());
        assertThrows(IllegalArgumentException.class, () -> c.address(255));
        assertThrows(IllegalArgumentException.class, () -> c.address(0));
    }

    @Test
    void ipv6AddressesCountFromTheNetwork() {
        Cidr c = Cidr.parse("fd00:1::/64");
        assertTrue(c.isIpv6());
        assertEquals("fd00:1:0:0:0:0:0:2", c.address(2).getHostAddress());
        assertEquals(2, c.indexOf(c.address(2)));
        assertEquals(65535, Cidr.parse("fd00::/112").usableHosts());
    }

    @Test
    void refusesMalformedPrefixesSayingWhatIsExpected() {
        IllegalArgumentException hostBits = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.100.0.5/24"));
        assertTrue(hostBits.getMessage().contains("10.100.0.0/24"), hostBits.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.100.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.100.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/24"));
    }

    @Test
    void indexOfOutsideIsMinusOne() {
        Cidr c = Cidr.parse("10.100.0.0/24");
        assertEquals(-1, c.indexOf(Cidr.parse("10.101.0.0/24").address(1)));
        assertEquals(-1, c.indexOf(Cidr.parse("fd00::/64").address(1)));
    }
}
