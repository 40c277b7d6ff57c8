package dev.wgcp.ipam.domain;

import dev.wgcp.kit.domain.Refusal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An address pool of a network: a prefix whose host indexes 1..{@link Cidr#lastIndex()} are handed
 * out, optionally the segment of one edge's interface ({@code edgeId}), with counters of allocated
 * and reserved addresses.
 */
public record Pool(String name, String networkId, Cidr cidr, String edgeId, String description,
                   long allocated, long reserved, Instant createdAt) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern EDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** Checks a pool name: what an operator types in URLs and config keys. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Refusal.invalid("pool name '" + name + "' is not valid: expected 1 to 63 characters of a-z, 0-9, '.', '_' and '-',"
                    + " starting with a letter or digit, e.g. home-v4");
        }
        return name;
    }

    public static String checkNetwork(String network) {
        if (network == null || !network.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw Refusal.invalid("network '" + network + "' is not valid: expected the registry's network name"
                    + " (a-z, 0-9 and '-', at most 63 characters), e.g. home");
        }
        return network;
    }

    public static String checkEdge(String edge) {
        if (edge != null && !EDGE.matcher(edge).matches()) {
            throw Refusal.invalid("edge '" + edge + "' is not valid: expected an edge id of 1 to 63 letters, digits, '.', '_' or '-'");
        }
        return edge;
    }

    /** Parses a prefix given by a user, as an {@link Refusal} that says what is expected. */
    public static Cidr parseCidr(String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(e.getMessage());
        }
    }

    public boolean isIpv6() {
        return cidr.isIpv6();
    }

    /** Every usable host index of the pool. */
    public IndexRange usable() {
        return new IndexRange(cidr.firstIndex(), cidr.lastIndex());
    }

    public long size() {
        return cidr.usableHosts();
    }

    public InetAddress address(long index) {
        return cidr.address(index);
    }

    /**
     * Host index of {@code address} in this pool, refusing what is not a usable address of it.
     */
    public long indexOf(String address) {
        InetAddress parsed;
        try {
            parsed = Cidr.literal(address == null ? "" : address.strip(), address);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(e.getMessage() + ": expected an address of pool " + name + " (" + cidr + ")");
        }
        long index = cidr.indexOf(parsed);
        if (index < cidr.firstIndex() || index > cidr.lastIndex()) {
            throw Refusal.invalid(address + " is not a usable address of pool " + name + " (" + cidr + "): expected "
                    + cidr.address(cidr.firstIndex()).getHostAddress() + " to " + cidr.address(cidr.lastIndex()).getHostAddress());
        }
        return index;
    }

    /** Share of the pool allocated or reserved, 0..1. */
    public double utilisation() {
        return size() == 0 ? 1.0 : (double) (allocated + reserved) / (double) size();
    }

    public String label() {
        return name + " (" + cidr + ")";
    }
}
