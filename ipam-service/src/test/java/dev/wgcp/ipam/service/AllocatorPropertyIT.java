package dev.wgcp.ipam.service;

import dev.wgcp.schemas.kafka.KafkaAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.events.v1.PeerRemoved;
import dev.wgcp.infra.SharedInfra;
import dev.wgcp.ipam.TestClock;
import dev.wgcp.ipam.domain.IndexRange;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.ipam.domain.Pool;
import dev.wgcp.ipam.persistence.AllocationStore.Allocation;
import dev.wgcp.ipam.persistence.FreeSpaceStore;
import dev.wgcp.ipam.persistence.PoolStore;
import dev.wgcp.ipam.persistence.ReservationStore;
import dev.wgcp.ipam.persistence.Sql;
import dev.wgcp.schemas.EventMetadataFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Random sequences of registrations, redeliveries, deletions, reservations, lifted reservations,
 * resizes and the passing of time against the real allocator on PostgreSQL, checked after every
 * step against a plain model: never a duplicate, never outside the pool, never a reserved address,
 * never an address still in quarantine, exhaustion only when nothing is available, and free space,
 * allocations and reservations always partition the pool exactly.
 */
class AllocatorPropertyIT {

    private static final Duration QUARANTINE = Duration.ofHours(1);
    private static ApplicationContext ctx;
    private static PoolService pools;
    private static AllocationService allocator;
    private static TestClock clock;
    private static TransactionOperations<Connection> tx;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        Map<String, Object> props = SharedInfra.get().serviceProperties(KafkaAccess.IPAM, "ipam_property");
        props.put("wgcp.ipam.quarantine", QUARANTINE.toString());
        props.put("wgcp.ipam.consumer.enabled", "false"); // the test calls the allocator itself
        ctx = ApplicationContext.run(props);
        pools = ctx.getBean(PoolService.class);
        allocator = ctx.getBean(AllocationService.class);
        clock = (TestClock) ctx.getBean(Clock.class);
        tx = ctx.getBean(TransactionOperations.class);
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
    }

    /** The model: what each index of a pool is, as the test believes. */
    private static final class Model {
        final String name;
        final boolean ipv6;
        long last;
        final Map<Long, UUID> allocated = new HashMap<>();
        final List<IndexRange> reserved = new ArrayList<>();
        final Map<UUID, IndexRange> reservationIds = new HashMap<>();
        final Map<Long, Instant> quarantinedUntil = new HashMap<>();

        Model(String name, boolean ipv6, long last) {
            this.name = name;
            this.ipv6 = ipv6;
            this.last = last;
        }

        boolean isReserved(long i) {
            return reserved.stream().anyMatch(r -> r.contains(i));
        }

        long available(Instant now) {
            long n = 0;
            for (long i = 1; i <= last; i++) {
                Instant q = quarantinedUntil.get(i);
                if (!allocated.containsKey(i) && !isReserved(i) && (q == null || !q.isAfter(now))) {
                    n++;
                }
            }
            return n;
        }
    }

    @RepeatedTest(6)
    void randomOperationsKeepEveryInvariant(RepetitionInfo info) {
        long seed = 7919L * info.getCurrentRepetition();
        Random random = new Random(seed);
        String network = "prop" + info.getCurrentRepetition();
        Pool v4 = pools.create(new PoolService.NewPool(network + "-v4", network, "10.9." + info.getCurrentRepetition() + ".0/27", null,
                null, List.of("10.9." + info.getCurrentRepetition() + ".1")));
        Pool v6 = pools.create(new PoolService.NewPool(network + "-v6", network, "fd09:" + info.getCurrentRepetition() + "::/123", null,
                null, List.of()));
        Model m4 = new Model(v4.name(), false, 30);
        m4.reserved.add(IndexRange.of(1));
        Model m6 = new Model(v6.name(), true, 31);
        Map<UUID, PeerRegistered> live = new HashMap<>();
        EventMetadataFactory meta = new EventMetadataFactory("registry-service", Clock.systemUTC());

        for (int step = 0; step < 250; step++) {
            String context = "seed " + seed + " step " + step;
            int op = random.nextInt(12);
            Instant now = clock.instant();
            if (op < 4) {
                UUID peer = UUID.randomUUID();
                PeerRegistered event = PeerRegistered.newBuilder().setMetadata(meta.create("test", 1)).setPeerId(peer.toString())
                        .setNetworkId(network).setPublicKey("k" + peer).build();
                List<Allocation> got = allocator.onPeerRegistered(event);
                for (Model m : List.of(m4, m6)) {
                    Allocation a = got.stream().filter(x -> x.pool().equals(m.name)).findFirst().orElse(null);
                    if (a == null) {
                        assertEquals(0, m.available(now), context + ": " + m.name + " refused an address while some were available");
                        continue;
                    }
                    long i = a.hostIndex();
                    assertTrue(i >= 1 && i <= m.last, context + ": index " + i + " outside " + m.name);
                    assertFalse(m.allocated.containsKey(i), context + ": " + a.address() + " handed out twice");
                    assertFalse(m.isReserved(i), context + ": reserved " + a.address() + " handed out");
                    Instant q = m.quarantinedUntil.get(i);
                    assertTrue(q == null || !q.isAfter(now), context + ": " + a.address() + " handed out in quarantine (until " + q + ")");
                    m.allocated.put(i, peer);
                    m.quarantinedUntil.remove(i);
                }
                if (!got.isEmpty()) {
                    live.put(peer, event);
                }
            } else if (op == 4 && !live.isEmpty()) {
                UUID peer = pick(random, live.keySet());
                List<Allocation> again = allocator.onPeerRegistered(live.get(peer));
                for (Allocation a : again) {
                    Model m = a.pool().equals(m4.name) ? m4 : m6;
                    assertEquals(peer, m.allocated.get(a.hostIndex()), context + ": a redelivery changed the address");
                }
            } else if (op <= 6 && !live.isEmpty()) {
                UUID peer = pick(random, live.keySet());
                live.remove(peer);
                allocator.onPeerRemoved(PeerRemoved.newBuilder().setMetadata(meta.create("test", 2)).setPeerId(peer.toString())
                        .setNetworkId(network).setPublicKey("k" + peer).build());
                for (Model m : List.of(m4, m6)) {
                    m.allocated.entrySet().removeIf(e -> {
                        if (e.getValue().equals(peer)) {
                            m.quarantinedUntil.put(e.getKey(), now.plus(QUARANTINE));
                            return true;
                        }
                        return false;
                    });
                }
            } else if (op == 7) {
                Model m = random.nextBoolean() ? m4 : m6;
                long first = 1 + random.nextInt((int) m.last);
                long last = Math.min(m.last, first + random.nextInt(3));
                IndexRange range = new IndexRange(first, last);
                boolean expectRefusal = m.allocated.keySet().stream().anyMatch(range::contains)
                        || m.reserved.stream().anyMatch(r -> r.overlaps(range));
                Pool pool = pools.get(m.name).pool();
                String text = pool.address(first).getHostAddress() + (first == last ? "" : "-" + pool.address(last).getHostAddress());
                try {
                    ReservationStore.Reservation r = pools.reserve(m.name, text, "property test");
                    assertFalse(expectRefusal, context + ": reserving " + text + " should have been refused");
                    m.reserved.add(range);
                    m.reservationIds.put(r.id(), range);
                } catch (Refusal e) {
                    assertTrue(expectRefusal, context + ": reserving " + text + " refused: " + e.getMessage());
                }
            } else if (op == 8) {
                Model m = random.nextBoolean() ? m4 : m6;
                if (!m.reservationIds.isEmpty()) {
                    UUID id = pick(random, m.reservationIds.keySet());
                    IndexRange range = m.reservationIds.remove(id);
                    pools.unreserve(m.name, id);
                    m.reserved.remove(range);
                    for (long i = range.first(); i <= range.last(); i++) {
                        m.quarantinedUntil.put(i, now.plus(QUARANTINE));
                    }
                }
            } else if (op == 9) {
                clock.advance(Duration.ofMinutes(random.nextInt(90)));
            } else if (op == 10) {
                boolean grow = m4.last == 30;
                long newLast = grow ? 62 : 30;
                boolean expectRefusal = !grow && (m4.allocated.keySet().stream().anyMatch(i -> i > 30)
                        || m4.reserved.stream().anyMatch(r -> r.last() > 30));
                try {
                    pools.resize(m4.name, v4.cidr().network().getHostAddress() + (grow ? "/26" : "/27"), null);
                    assertFalse(expectRefusal, context + ": shrinking should have been refused");
                    m4.last = newLast;
                    m4.quarantinedUntil.keySet().removeIf(i -> i > newLast);
                } catch (Refusal e) {
                    assertTrue(expectRefusal, context + ": resize refused: " + e.getMessage());
                }
            }
            checkDatabase(context, m4);
            checkDatabase(context, m6);
        }
    }

    /** Counters, and free + allocated + reserved = the usable range, each index exactly once. */
    private static void checkDatabase(String context, Model m) {
        tx.executeRead(status -> {
            Sql sql = ctx.getBean(Sql.class);
            Pool pool = ctx.getBean(PoolStore.class).find(m.name).orElseThrow();
            assertEquals(m.last, pool.cidr().lastIndex(), context);
            TreeSet<Long> seen = new TreeSet<>();
            List<Long> allocated = sql.list("SELECT host_index FROM allocation WHERE pool = ?", rs -> rs.getLong(1), m.name);
            assertEquals(m.allocated.keySet(), new TreeSet<>(allocated), context + ": allocations differ from the model");
            assertEquals(allocated.size(), pool.allocated(), context + ": allocated counter");
            long reservedCount = 0;
            for (ReservationStore.Reservation r : ctx.getBean(ReservationStore.class).list(m.name)) {
                reservedCount += r.range().size();
                for (long i = r.range().first(); i <= r.range().last(); i++) {
                    if (!seen.add(i)) {
                        fail(context + ": index " + i + " reserved twice");
                    }
                }
            }
            assertEquals(reservedCount, pool.reserved(), context + ": reserved counter");
            for (long i : allocated) {
                if (!seen.add(i)) {
                    fail(context + ": index " + i + " both reserved and allocated");
                }
            }
            for (FreeSpaceStore.FreeRange f : ctx.getBean(FreeSpaceStore.class).all(m.name)) {
                for (long i = f.range().first(); i <= f.range().last(); i++) {
                    if (!seen.add(i)) {
                        fail(context + ": index " + i + " free and in use");
                    }
                }
            }
            assertEquals(m.last, seen.size(), context + ": free space, allocations and reservations do not cover the pool");
            assertEquals(1L, seen.first(), context);
            assertEquals(m.last, seen.last(), context);
            return null;
        });
    }

    private static <T> T pick(Random random, java.util.Collection<T> from) {
        List<T> list = new ArrayList<>(from);
        list.sort(java.util.Comparator.comparing(Object::toString));
        return list.get(random.nextInt(list.size()));
    }
}
