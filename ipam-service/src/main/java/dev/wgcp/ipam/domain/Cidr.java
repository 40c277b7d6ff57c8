package dev.wgcp.ipam.domain;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix such as 10.100.0.0/24 or fd00:1::/64. Host indexes count from the network
 * address (index 0); IPv4 keeps 0 and the broadcast address out of allocation, IPv6 keeps 0 (the
 * subnet-router anycast address).
 */
public record Cidr(InetAddress network, int prefixLength) {

    public static Cidr parse(String text) {
        if (text == null || !text.contains("/")) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: expected address/prefix, e.g. 10.100.0.0/24 or fd00:1::/64");
        }
        String[] parts = text.strip().split("/", 2);
        InetAddress address = literal(parts[0], text);
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has prefix length '" + parts[1] + "': expected 0 to " + bits);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + ": expected 0 to " + bits);
        }
        BigInteger value = new BigInteger(1, address.getAddress());
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        if (!value.and(hostMask).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: expected the network address "
                    + toAddress(value.andNot(hostMask), address.getAddress().length).getHostAddress() + "/" + prefix);
        }
        return new Cidr(address, prefix);
    }

    static InetAddress literal(String s, String context) {
        if (!s.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + context + "' is not an IP address literal");
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + context + "' is not an IP address literal", e);
        }
    }

    public boolean isIpv6() {
        return network.getAddress().length == 16;
    }

    private int bits() {
        return network.getAddress().length * 8;
    }

    /** How many host indexes can be handed out (capped at Long.MAX_VALUE for huge IPv6 prefixes). */
    public long usableHosts() {
        int hostBits = bits() - prefixLength;
        if (hostBits >= 63) {
            return Long.MAX_VALUE - 1;
        }
        long size = 1L << hostBits;
        return isIpv6() ? size - 1 : Math.max(0, size - 2);
    }

    /** Lowest usable index (1) and highest usable index. */
    public long firstIndex() {
        return 1;
    }

    public long lastIndex() {
        return usableHosts();
    }

    public InetAddress address(long hostIndex) {
        if (hostIndex < firstIndex() || hostIndex > lastIndex()) {
            throw new IllegalArgumentException("host index " + hostIndex + " is outside " + this);
        }
        BigInteger value = new BigInteger(1, network.getAddress()).add(BigInteger.valueOf(hostIndex));
        return toAddress(value, network.getAddress().length);
    }

    /** Index of {@code address} inside this prefix, or -1 when it is outside. */
    public long indexOf(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return -1;
        }
        BigInteger offset = new BigInteger(1, address.getAddress()).subtract(new BigInteger(1, network.getAddress()));
        if (offset.signum() < 0 || offset.bitLength() > bits() - prefixLength || offset.bitLength() > 62) {
            return -1;
        }
        return offset.longValue();
    }

    private static InetAddress toAddress(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
