package dev.wgcp.firewall.domain;

import dev.wgcp.kit.domain.Refusal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** CIDR destinations, checked and written in canonical form (host bits must be zero). */
public final class Cidrs {

    private Cidrs() {
    }

    public static String check(String cidr) {
        String c = cidr == null ? "" : cidr.strip();
        int slash = c.indexOf('/');
        String expected = ": expected an IPv4 or IPv6 network such as 10.20.0.0/16 or fd00:20::/48";
        if (slash <= 0 || !c.substring(0, slash).matches("[0-9a-fA-F:.]+")) {
            throw Refusal.invalid("'" + cidr + "' is not a network" + expected);
        }
        byte[] address;
        int length;
        try {
            address = InetAddress.getByName(c.substring(0, slash)).getAddress(); // digits and colons only: never a lookup
            length = Integer.parseInt(c.substring(slash + 1));
        } catch (UnknownHostException | NumberFormatException e) {
            throw Refusal.invalid("'" + cidr + "' is not a network" + expected);
        }
        if (length < 0 || length > address.length * 8) {
            throw Refusal.invalid("'" + cidr + "' has prefix length " + length + ": expected 0 to " + address.length * 8);
        }
        for (int bit = length; bit < address.length * 8; bit++) {
            if ((address[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                throw Refusal.invalid("'" + cidr + "' has host bits set: expected the network address, e.g. "
                        + (address.length == 4 ? "10.20.0.0/16" : "fd00:20::/48"));
            }
        }
        return (address.length == 4 ? (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff)
                : dev.wgcp.schemas.IpAddresses.compress(address)) + "/" + length;
    }

    public static boolean isV6(String cidr) {
        return cidr.contains(":");
    }
}
