package dev.wgcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgcp.devstack.Devstack;
import dev.wgcp.events.v1.AddressAllocationFailed;
import dev.wgcp.events.v1.AddressAssigned;
import dev.wgcp.events.v1.PeerRegistered;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.SerdeConfig;
import dev.wgcp.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one allocation costs ipam-service as its pool fills: a /16 in a network of its own, filled
 * to the end through the real service (PeerRegistered on Kafka, allocation in PostgreSQL,
 * AddressAssigned back), with windows of allocations made one at a time at chosen fill levels. Each
 * allocation's own time is read from ipam's {@code wgcp.ipam.allocation.duration} timer after it
 * (the sum grows by exactly that allocation), so the figures are the allocator's work, not Kafka's.
 */
@Command(name = "ipam", mixinStandardHelpOptions = true,
        description = "Allocation cost of ipam-service against the number of addresses already allocated in a /16.")
final class IpamBench implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(IpamBench.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String NETWORK = "ipambench";
    private static final String WARMUP_NETWORK = "ipamwarmup";
    private static final String ALLOCATION_TIMER = "wgcp_ipam_allocation_duration_seconds";
    /** Registrations sent and not answered yet, at most: the fill does not run ahead of ipam without bound. */
    private static final int IN_FLIGHT = 5000;

    @Option(names = "--windows", split = ",", defaultValue = "100,10000,30000,60000,65534",
            description = "Fill levels: for each, the allocations up to and including that one are measured one at a time, default ${DEFAULT-VALUE}.")
    private List<Integer> windows;

    @Option(names = "--window-size", defaultValue = "100", description = "Allocations measured per window, default ${DEFAULT-VALUE}.")
    private int windowSize;

    @Option(names = "--cidr", defaultValue = "10.128.0.0/16", description = "The pool, default ${DEFAULT-VALUE} (65,534 addresses).")
    private String cidr;

    @Option(names = "--warmup", defaultValue = "3000",
            description = "Allocations in a pool of their own first, not measured, so that the first window is not cold code, default ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--out", defaultValue = "docs", description = "Where benchmarks-ipam.md and .json go, default ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--repo", defaultValue = ".", description = "The wgcp checkout whose service jars to run, default ${DEFAULT-VALUE}.")
    private Path repo;

    private final HttpClient http = HttpClient.newHttpClient();
    private final EventMetadataFactory meta = new EventMetadataFactory("ipam-bench", Clock.systemUTC());
    private final Map<String, String> assigned = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger warmedUp = new AtomicInteger();
    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
    private volatile boolean running = true;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wgcp-ipam-bench");
        Devstack stack = Devstack.start(Devstack.Options.forTest(data, repo.toAbsolutePath().normalize()));
        Map<String, Object> report = new LinkedHashMap<>();
        try (KafkaProducer<String, SpecificRecord> producer = Producers.events(stack.connection(dev.wgcp.schemas.kafka.KafkaAccess.REGISTRY),
                new SchemaRegistryClient(stack.schemaRegistryUrl()), "ipam-bench")) {
            report.put("date", Instant.now().toString());
            report.put("cpus", Runtime.getRuntime().availableProcessors());
            report.put("cpu_model", dev.wgcp.infra.Shell.exec(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"))
                    .output().strip());
            report.put("pool", cidr);
            Thread follower = follow(stack);
            long size = createPool(stack, NETWORK, cidr);
            if (warmup > 0) {
                createPool(stack, WARMUP_NETWORK, "10.129.0.0/16");
                LOG.info("warming up: {} allocations in a pool of their own, not measured", warmup);
                for (int i = 0; i < warmup; i++) {
                    send(producer, WARMUP_NETWORK);
                }
                synchronized (warmedUp) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                    while (warmedUp.get() < warmup && System.nanoTime() < deadline) {
                        warmedUp.wait(1000); // woken by the follower at each warm-up allocation
                    }
                }
                report.put("warmup_allocations", warmedUp.get());
            }
            report.put("pool_size", size);
            List<Map<String, Object>> measured = new ArrayList<>();
            report.put("windows", measured);
            long fillStarted = System.nanoTime();
            long bulkAllocations = 0;
            for (int end : windows) {
                int start = Math.max(1, end - windowSize + 1);
                if (end > size || start <= assigned.size()) {
                    throw new IllegalArgumentException("window ending at " + end + " does not fit: " + assigned.size()
                            + " allocated so far, the pool has " + size);
                }
                long bulkStart = System.nanoTime();
                int toFill = start - 1 - assigned.size();
                fill(producer, toFill);
                bulkAllocations += toFill;
                LOG.info("filled to {} ({} in {} ms); measuring allocations {} to {} one at a time", assigned.size(), toFill,
                        (System.nanoTime() - bulkStart) / 1_000_000, start, end);
                Stats allocation = new Stats();
                Stats roundTrip = new Stats();
                TimerReading timer = TimerReading.read(http, stack.ipamUrl(), ALLOCATION_TIMER, null);
                for (int n = start; n <= end; n++) {
                    long t0 = System.nanoTime();
                    String peer = send(producer, NETWORK);
                    awaitCount(n, Duration.ofSeconds(30));
                    roundTrip.add((System.nanoTime() - t0) / 1e6);
                    TimerReading now = TimerReading.awaitCount(http, stack.ipamUrl(), ALLOCATION_TIMER, timer.count() + 1,
                            Duration.ofSeconds(5), null);
                    if (now.count() > timer.count() + 1) {
                        throw new IllegalStateException("ipam counted " + now.count() + " allocations where " + (timer.count() + 1) + " were sent");
                    }
                    allocation.add(now.millisSince(timer));
                    timer = now;
                    if (!assigned.containsKey(peer)) {
                        throw new IllegalStateException("peer " + peer + " got no address");
                    }
                }
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("allocations", start + "-" + end);
                w.put("allocation", allocation.summary());
                w.put("round_trip", roundTrip.summary());
                measured.add(w);
                write(report);
            }
            double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
            report.put("allocations_total", assigned.size());
            report.put("fill_rate_per_s", Math.round(assigned.size() / fillSeconds));
            report.put("duplicate_addresses", assigned.size() - Set.copyOf(assigned.values()).size());
            report.put("failures", failures.get());
            Map<String, Object> first = measured.get(0);
            for (Map<String, Object> w : measured) {
                w.put("p50_ratio_to_first", Math.round(p50(w) / p50(first) * 100) / 100.0);
            }
            write(report);
            running = false;
            follower.join(5000);
        } finally {
            stack.close();
        }
        LOG.info("wrote {}", out.resolve("benchmarks-ipam.md"));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static double p50(Map<String, Object> window) {
        return ((Number) ((Map<String, Object>) window.get("allocation")).get("p50_ms")).doubleValue();
    }

    private long createPool(Devstack stack, String network, String prefix) throws Exception {
        HttpResponse<String> pool = http.send(HttpRequest.newBuilder(URI.create(stack.ipamUrl() + "/v1/pools"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + stack.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + network + "\",\"network\":\"" + network + "\",\"cidr\":\"" + prefix
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (pool.statusCode() != 201) {
            throw new IllegalStateException("creating pool " + network + " failed: " + pool.statusCode() + " " + pool.body());
        }
        return JSON.readTree(pool.body()).path("size").asLong();
    }

    private String send(KafkaProducer<String, SpecificRecord> producer, String network) {
        UUID id = UUID.randomUUID();
        producer.send(new ProducerRecord<>(Topics.PEERS.name(), id.toString(), PeerRegistered.newBuilder().setMetadata(meta.create("bench", 1))
                .setPeerId(id.toString()).setNetworkId(network).setPublicKey("bench-" + id).build()));
        producer.flush();
        return id.toString();
    }

    private void fill(KafkaProducer<String, SpecificRecord> producer, int count) throws InterruptedException {
        int target = assigned.size() + count;
        for (int i = 0; i < count; i++) {
            inFlight.acquire(); // released by the follower when ipam answers
            UUID id = UUID.randomUUID();
            producer.send(new ProducerRecord<>(Topics.PEERS.name(), id.toString(), PeerRegistered.newBuilder()
                    .setMetadata(meta.create("bench", 1)).setPeerId(id.toString()).setNetworkId(NETWORK).setPublicKey("bench-" + id).build()));
        }
        producer.flush();
        awaitCount(target, Duration.ofMinutes(10));
    }

    private void awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (assigned.size() < count) {
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " allocations failed (AddressAllocationFailed on " + Topics.ADDRESSES.name() + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + assigned.size() + " of " + count + " addresses assigned after " + timeout);
            }
            Thread.onSpinWait();
        }
    }

    /** Follows the address topic: which peer of the bench network got which address. */
    private Thread follow(Devstack stack) {
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl()), false);
        Properties p = stack.connection(dev.wgcp.schemas.kafka.KafkaAccess.AUDIT).properties("ipam-bench-follow");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(Topics.ADDRESSES.name(), Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Thread t = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        SpecificRecord event = deserializer.deserialize(r.topic(), r.value());
                        if (event instanceof AddressAssigned a && WARMUP_NETWORK.equals(a.getNetworkId())) {
                            synchronized (warmedUp) {
                                warmedUp.incrementAndGet();
                                warmedUp.notifyAll();
                            }
                        } else if (event instanceof AddressAssigned a && NETWORK.equals(a.getNetworkId())) {
                            assigned.put(a.getPeerId(), a.getIpv4Address());
                            inFlight.release();
                        } else if (event instanceof AddressAllocationFailed f && NETWORK.equals(f.getNetworkId())) {
                            LOG.error("allocation failed: {}", f.getMessage());
                            failures.incrementAndGet();
                            inFlight.release();
                        }
                    }
                }
            }
        }, "ipam-bench-follower");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void write(Map<String, Object> report) throws java.io.IOException {
        Files.createDirectories(out);
        report.put("command", "./dev.sh bench ipam");
        Files.writeString(out.resolve("benchmarks-ipam.json"), JSON.writeValueAsString(report));
        Files.writeString(out.resolve("benchmarks-ipam.md"), markdown(report));
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder("# Benchmark: address allocation cost as a pool fills\n\n");
        sb.append("`").append(report.get("command")).append("` on ").append(report.get("date")).append(", ").append(report.get("cpus"))
                .append(" CPUs (").append(report.get("cpu_model")).append("). Pool ").append(report.get("pool")).append(" (")
                .append(report.get("pool_size")).append(" addresses) in a network of its own, filled through the real ipam-service"
                        + " (PeerRegistered on Kafka, allocation in PostgreSQL, AddressAssigned back). In each window the allocations are"
                        + " made one at a time; *allocation* is the allocator's own time for each (ipam's `wgcp.ipam.allocation.duration`"
                        + " timer: pool lock, free-space look-up, inserts, the outbox event), *round trip* is PeerRegistered sent →"
                        + " AddressAssigned read (two Kafka hops and the outbox relay). Before the first window, "
                        + report.getOrDefault("warmup_allocations", 0) + " allocations in another pool warmed the code up (not measured)."
                        + " Ratios are to the first window of the same run.\n\n");
        sb.append("| allocations | allocation p50 ms | p99 ms | max ms | p50 ratio to first | round trip p50 ms | p99 ms |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> w : (List<Map<String, Object>>) report.get("windows")) {
            Map<String, Object> a = (Map<String, Object>) w.get("allocation");
            Map<String, Object> r = (Map<String, Object>) w.get("round_trip");
            sb.append("| ").append(w.get("allocations")).append(" | ").append(a.get("p50_ms")).append(" | ").append(a.get("p99_ms"))
                    .append(" | ").append(a.get("max_ms")).append(" | ").append(w.getOrDefault("p50_ratio_to_first", "")).append(" | ")
                    .append(r.get("p50_ms")).append(" | ").append(r.get("p99_ms")).append(" |\n");
        }
        if (report.containsKey("allocations_total")) {
            sb.append("\n").append(report.get("allocations_total")).append(" addresses allocated at ").append(report.get("fill_rate_per_s"))
                    .append(" per second overall; ").append(report.get("duplicate_addresses")).append(" duplicate addresses, ")
                    .append(report.get("failures")).append(" failed allocations.\n");
        }
        sb.append("\nRaw samples: benchmarks-ipam.json.\n");
        return sb.toString();
    }
}
