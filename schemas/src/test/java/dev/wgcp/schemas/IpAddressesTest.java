package dev.wgcp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void ipv6IsWrittenAsRfc5952AndIpv4AsIs() {
        assertEquals("10.0.0.2", IpAddresses.canonical("10.0.0.2"));
        assertEquals("fd00:100::2", IpAddresses.canonical("fd00:100:0:0:0:0:0:2"));
        assertEquals("fd00::1:0:0:2", IpAddresses.canonical("fd00:0:0:0:1:0:0:2"), "the longest run of zeros");
        assertEquals("2001:db8::1:0:0:1", IpAddresses.canonical("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.canonical("2001:db8::1:1:1:1:1"), "a single zero group stays");
        assertEquals("::", IpAddresses.canonical("0:0:0:0:0:0:0:0"));
        assertEquals("not-an-address", IpAddresses.canonical("not-an-address"));
    }
}
