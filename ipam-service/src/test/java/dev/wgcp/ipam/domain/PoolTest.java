package dev.wgcp.ipam.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class PoolTest {

    @Test
    void handsOutTheLowestFreeAddressSkippingReserved() {
        Pool pool = new Pool("home", "home", Cidr.parse("10.100.0.0/29"), List.of("10.100.0.1"));
        assertEquals(2, pool.nextFree(List.of()).getAsLong());
        assertEquals(4, pool.nextFree(List.of(2L, 3L, 5L)).getAsLong());
    }

    @Test
    void nextAfterSkipsReservedAndStopsAtTheEnd() {
        Pool pool = new Pool("home", "home", Cidr.parse("10.100.0.0/29"), List.of("10.100.0.1", "10.100.0.4"));
        assertEquals(2, pool.nextAfter(0).getAsLong());
        assertEquals(5, pool.nextAfter(3).getAsLong());
        assertEquals(6, pool.nextAfter(5).getAsLong());
        assertEquals(OptionalLong.empty(), pool.nextAfter(6));
    }

    @Test
    void reportsExhaustion() {
        Pool pool = new Pool("tiny", "home", Cidr.parse("10.0.0.0/30"), List.of("10.0.0.1"));
        assertEquals(OptionalLong.empty(), pool.nextFree(List.of(2L)));
    }

    @Test
    void refusesReservedAddressOutsideThePool() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pool("home", "home", Cidr.parse("10.100.0.0/24"), List.of("10.200.0.1")));
        assertTrue(e.getMessage().contains("not a usable address"), e.getMessage());
    }

    /** Random allocate/release sequences: never a duplicate, never outside, never reserved, full pools exhaust. */
    @RepeatedTest(20)
    void randomAllocationsKeepTheInvariants(RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition());
        int prefix = 24 + random.nextInt(6);
        Cidr cidr = Cidr.parse("10.7.0.0/" + prefix);
        List<String> reserved = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reserved.add(cidr.address(1 + random.nextInt((int) cidr.usableHosts())).getHostAddress());
        }
        Pool pool = new Pool("p", "n", cidr, reserved);
        TreeSet<Long> used = new TreeSet<>();
        for (int step = 0; step < 2_000; step++) {
            if (!used.isEmpty() && random.nextInt(4) == 0) {
                used.remove(new ArrayList<>(used).get(random.nextInt(used.size())));
                continue;
            }
            OptionalLong next = pool.nextFree(used);
            if (next.isEmpty()) {
                assertEquals(cidr.usableHosts(), used.size() + pool.reserved().size(), "exhausted only when full");
                continue;
            }
            long index = next.getAsLong();
            assertFalse(used.contains(index), "duplicate " + index);
            assertFalse(pool.reserved().contains(index), "reserved " + index);
            assertTrue(index >= cidr.firstIndex() && index <= cidr.lastIndex(), "outside " + index);
            assertEquals(index, used.stream().filter(u -> u < index).count() + pool.reserved().stream().filter(r -> r < index).count() + 1,
                    "lowest free address");
            used.add(index);
        }
    }
}
