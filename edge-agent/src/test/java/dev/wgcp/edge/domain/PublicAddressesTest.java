package dev.wgcp.edge.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublicAddressesTest {

    @Test
    void anInterfacesGlobalAddressesWithoutTemporaryOrDeprecatedOnes() {
        String out = """
                2: eth0    inet 198.51.100.7/24 brd 198.51.100.255 scope global dynamic eth0\\       valid_lft 3500sec preferred_lft 3500sec
                2: eth0    inet6 2001:db8::aa/64 scope global dynamic mngtmpaddr \\       valid_lft 86000sec preferred_lft 14000sec
                2: eth0    inet6 2001:db8::1234/64 scope global temporary dynamic \\       valid_lft 86000sec preferred_lft 14000sec
                2: eth0    inet6 2001:db8::99/64 scope global deprecated dynamic \\       valid_lft 86000sec preferred_lft 0sec
                """;
        assertEquals(List.of("198.51.100.7", "2001:db8::aa"), PublicAddresses.fromIpAddr(out));
        assertEquals(List.of(), PublicAddresses.fromIpAddr(""));
    }

    @Test
    void aCommandMayPrintOnlyAddresses() {
        assertEquals(List.of("203.0.113.9"), PublicAddresses.fromCommand("203.0.113.9\n"));
        assertEquals(List.of("203.0.113.9", "2001:db8::9"), PublicAddresses.fromCommand(" 203.0.113.9  2001:db8::9 203.0.113.9"));
        String message = assertThrows(IllegalArgumentException.class, () -> PublicAddresses.fromCommand("<html>502 Bad Gateway")).getMessage();
        assertTrue(message.contains("not an IP address") && message.contains("<html>"), message);
        assertThrows(IllegalArgumentException.class, () -> PublicAddresses.fromCommand("256.1.1.1"));
    }
}
