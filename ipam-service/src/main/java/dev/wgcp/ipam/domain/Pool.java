package dev.wgcp.ipam.domain;

import java.net.InetAddress;
import java.util.Collection;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * An address pool of a network: a prefix, with reserved addresses (servers, gateways) that are never
 * handed out.
 */
public final class Pool {

    private final String name;
    private final String networkId;
    private final Cidr cidr;
    private final NavigableSet<Long> reserved;

    public Pool(String name, String networkId, Cidr cidr, Collection<String> reservedAddresses) {
        this.name = name;
        this.networkId = networkId;
        this.cidr = cidr;
        this.reserved = new TreeSet<>();
        for (String r : reservedAddresses) {
            long index = cidr.indexOf(Cidr.literal(r.strip(), r));
            if (index < cidr.firstIndex() || index > cidr.lastIndex()) {
                throw new IllegalArgumentException("reserved address " + r + " of pool " + name + " is not a usable address of " + cidr);
            }
            reserved.add(index);
        }
    }

    public String name() {
        return name;
    }

    public String networkId() {
        return networkId;
    }

    public Cidr cidr() {
        return cidr;
    }

    public Set<Long> reserved() {
        return java.util.Collections.unmodifiableSet(reserved);
    }

    /**
     * Lowest free host index given the indexes in use (sorted ascending), skipping reserved ones;
     * empty when the pool is exhausted.
     */
    public OptionalLong nextFree(Iterable<Long> usedAscending) {
        long candidate = cidr.firstIndex();
        java.util.Iterator<Long> used = usedAscending.iterator();
        Long nextUsed = used.hasNext() ? used.next() : null;
        while (candidate <= cidr.lastIndex()) {
            if (reserved.contains(candidate)) {
                candidate++;
                continue;
            }
            while (nextUsed != null && nextUsed < candidate) {
                nextUsed = used.hasNext() ? used.next() : null;
            }
            if (nextUsed != null && nextUsed == candidate) {
                candidate++;
                continue;
            }
            return OptionalLong.of(candidate);
        }
        return OptionalLong.empty();
    }

    /**
     * The lowest non-reserved index above {@code highestUsed}: the cheap common case, one index
     * look-up instead of a scan. Empty when the end of the pool is reached; then {@link #nextFree}
     * finds the gaps. Handing out fresh addresses before reusing gaps also keeps released addresses
     * out of use for as long as possible.
     */
    public OptionalLong nextAfter(long highestUsed) {
        for (long c = Math.max(highestUsed + 1, cidr.firstIndex()); c <= cidr.lastIndex(); c++) {
            if (!reserved.contains(c)) {
                return OptionalLong.of(c);
            }
        }
        return OptionalLong.empty();
    }

    public InetAddress address(long index) {
        return cidr.address(index);
    }
}
