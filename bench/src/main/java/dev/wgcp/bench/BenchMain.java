package dev.wgcp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgcp.devstack.Cli;
import dev.wgcp.devstack.Devstack;
import dev.wgcp.events.v1.PeerAction;
import dev.wgcp.infra.Shell;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./dev.sh bench}: starts the devstack with several edges and measures, in one run, how fast a
 * change reaches the edges' WireGuard interfaces, against the Kafka round-trip floor of the same broker.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {IpamBench.class, AgentBench.class, FirewallBench.class, ChaosBench.class},
        description = "End-to-end latency and throughput of wgcp on the devstack; `bench ipam`: allocation cost as a pool fills.")
public final class BenchMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Option(names = "--edges", defaultValue = "10", description = "Edges (WireGuard servers with an agent each), default ${DEFAULT-VALUE}.")
    int edgeCount;

    @Option(names = "--sequential", defaultValue = "100", description = "Registrations measured one at a time per scenario, default ${DEFAULT-VALUE}.")
    int sequential;

    @Option(names = "--revocations", defaultValue = "50", description = "Revocations measured one at a time per scenario, default ${DEFAULT-VALUE}.")
    int revocations;

    @Option(names = "--rate", defaultValue = "200", description = "Target registrations per second in the sustained run, default ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--duration", defaultValue = "10", description = "Seconds of the sustained run, default ${DEFAULT-VALUE}.")
    int durationSeconds;

    @Option(names = "--sustained-warmup", defaultValue = "5", description = "Seconds at the sustained rate before the measured run, default ${DEFAULT-VALUE}.")
    int sustainedWarmupSeconds;

    @Option(names = "--preload", split = ",", defaultValue = "1000,10000", description = "Peer counts at which to measure again, default ${DEFAULT-VALUE}.")
    List<Integer> preloads;

    @Option(names = "--floor-samples", defaultValue = "500", description = "Kafka round trips for the floor, default ${DEFAULT-VALUE}.")
    int floorSamples;

    @Option(names = "--out", defaultValue = "docs", description = "Where benchmarks.md and benchmarks.json go, default ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--report-name", defaultValue = "benchmarks", description = "File name (without extension) of the report, default ${DEFAULT-VALUE}.")
    String reportName;

    @Option(names = "--warmup", defaultValue = "2000", description = "Unmeasured registrations and revocations first (32 at a time), so that the broker and the services have compiled their paths, default ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--repo", defaultValue = ".", description = "The wgcp checkout whose service jars to run, default ${DEFAULT-VALUE}.")
    Path repo;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(16)).connectTimeout(Duration.ofSeconds(5)).build();
    private Devstack stack;
    private AckWatch acks;
    /** The devstack's admin token as a header value; every registry call needs one. */
    private String authorization;
    private final Map<String, String> idByKey = new ConcurrentHashMap<>();

    private String[] args = new String[0];

    public static void main(String[] args) {
        BenchMain bench = new BenchMain();
        bench.args = args;
        System.exit(Cli.execute("bench", bench, args));
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wgcp-bench");
        Devstack.Options options = Devstack.Options.forTest(data, repo.toAbsolutePath().normalize())
                .withEdges(edgeCount).withTunnelCidr("10.64.0.0/16", "10.64.0.1");
        LOG.info("starting the devstack with {} edges", edgeCount);
        long startedAt = System.nanoTime();
        stack = Devstack.start(options);
        authorization = "Bearer " + stack.adminToken();
        Map<String, Object> report = new LinkedHashMap<>();
        try {
            report.put("environment", environment(millis(System.nanoTime() - startedAt)));
            LOG.info("measuring the Kafka floor");
            Stats floor = KafkaFloor.measure(stack.admin(), floorSamples);
            report.put("kafka_floor", floor.summary());
            LOG.info("measuring what signing and verifying one record costs");
            report.put("signing", SigningCost.measure(stack.schemaRegistryUrl(), floorSamples * 10));
            acks = new AckWatch(stack.connection(dev.wgcp.schemas.kafka.KafkaAccess.AUDIT), stack.schemaRegistryUrl());

            LOG.info("warming up with {} registrations and their revocations", warmup);
            report.put("warmup_registrations", warmup);
            List<String> warmed = registerMany(warmup);
            awaitAcks(warmed, PeerAction.ADDED, TimeUnit.MINUTES.toNanos(5));
            revokeMany(warmed);
            awaitAcks(warmed, PeerAction.REMOVED, TimeUnit.MINUTES.toNanos(5));
            List<Map<String, Object>> scenarios = new ArrayList<>();
            report.put("scenarios", scenarios);
            scenarios.add(scenario(active() + " active peers before"));
            write(report);
            for (int target : preloads) {
                if (target <= active()) {
                    continue;
                }
                preload(target);
                scenarios.add(scenario(target + " active peers before"));
                write(report);
            }
            // Last, because it adds rate × duration peers: the scenarios above see the counts they name.
            if (sustainedWarmupSeconds > 0) {
                // The broker's and the services' hot paths at this rate get compiled here, not in the measurement.
                LOG.info("sustained warm-up: {} registrations/s for {} s, not measured", rate, sustainedWarmupSeconds);
                Map<String, Object> warm = sustained(sustainedWarmupSeconds);
                if (((Number) warm.get("lost")).intValue() > 0 || ((Number) warm.get("failed_requests")).intValue() > 0) {
                    throw new IllegalStateException("the sustained warm-up lost registrations: " + warm);
                }
            }
            LOG.info("sustained: {} registrations/s for {} s", rate, durationSeconds);
            Map<String, Object> sustained = sustained(durationSeconds);
            sustained.put("warmup_s", sustainedWarmupSeconds);
            report.put("sustained", sustained);
            write(report);
            report.put("duplicate_addresses", duplicateAddresses());
            write(report);
        } finally {
            if (acks != null) {
                acks.close();
            }
            stack.close();
        }
        LOG.info("wrote {} and {}", out.resolve(reportName + ".md"), out.resolve(reportName + ".json"));
        return 0;
    }

    /** Writes what is measured so far, so that a long run stopped half-way still leaves its figures. */
    private void write(Map<String, Object> report) throws java.io.IOException {
        Files.createDirectories(out);
        report.put("command", "./dev.sh bench " + String.join(" ", args));
        Files.writeString(out.resolve(reportName + ".json"), JSON.writeValueAsString(report));
        Files.writeString(out.resolve(reportName + ".md"), Markdown.render(report, reportName));
    }

    private Map<String, Object> environment(double stackStartMs) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("memory_gib", Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        env.put("cpu_model", Shell.exec(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")).output().strip());
        env.put("kernel", Shell.exec(List.of("uname", "-r")).output().strip());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        env.put("wireguard_go", Shell.exec(List.of("sh", "-c", "dpkg-query -W -f='${Version}' wireguard-go")).output().strip());
        env.put("wireguard_tools", Shell.exec(List.of("sh", "-c", "dpkg-query -W -f='${Version}' wireguard-tools")).output().strip());
        env.put("micronaut_platform", "4.10.8");
        env.put("edges", edgeCount);
        env.put("devstack_start_ms", stackStartMs);
        return env;
    }

    private Map<String, Object> scenario(String name) throws Exception {
        LOG.info("scenario '{}': {} registrations and {} revocations, one at a time", name, sequential, revocations);
        Stats api = new Stats();
        Stats liveFirst = new Stats();
        Stats liveAll = new Stats();
        int confirmed = 0;
        List<String> mine = new ArrayList<>();
        Map<String, Breakdown.Marks> marks = new LinkedHashMap<>();
        for (int i = 0; i < sequential; i++) {
            String key = randomKey();
            Instant wall0 = Instant.now();
            long t0 = System.nanoTime();
            JsonNode peer = register(key);
            long t1 = System.nanoTime();
            String allowed = peer.path("ipv4Address").asText() + "/32";
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            Instant first = null;
            Instant all = null;
            for (Devstack.Edge e : stack.edges()) {
                Instant at = acks.await(e.id(), key, PeerAction.ADDED, deadline);
                if (at == null) {
                    throw new IllegalStateException("peer " + key + " was not acknowledged by " + e.id() + " within 30 s");
                }
                first = first == null ? at : first;
                all = all == null || at.isAfter(all) ? at : all;
            }
            api.add(millis(t1 - t0));
            liveFirst.add(millis(wall0, first));
            marks.put(peer.path("id").asText(), new Breakdown.Marks(wall0.toEpochMilli(), first.toEpochMilli()));
            liveAll.add(millis(wall0, all));
            if (i % 20 == 0) {
                // Not only the agents' word: wg show itself, as an operator would read it, on every edge.
                for (Devstack.Edge e : stack.edges()) {
                    String shown = Shell.run("wg", "show", e.interfaceName(), "allowed-ips");
                    if (!shown.contains(key + "\t" + allowed)) {
                        throw new IllegalStateException(e.id() + " acknowledged " + key + " " + allowed + " but wg show does not have it:\n" + shown);
                    }
                }
                confirmed++;
            }
            mine.add(key);
        }
        Stats goneFirst = new Stats();
        Stats goneAll = new Stats();
        for (int i = 0; i < Math.min(revocations, mine.size()); i++) {
            String key = mine.get(i);
            Instant wall0 = Instant.now();
            long t0 = System.nanoTime();
            send("DELETE", "/v1/peers/" + idByKey.get(key), null, 200);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            Instant first = null;
            Instant all = null;
            for (Devstack.Edge e : stack.edges()) {
                Instant at = acks.await(e.id(), key, PeerAction.REMOVED, deadline);
                if (at == null) {
                    throw new IllegalStateException("revoked peer " + key + " was not acknowledged as removed by " + e.id() + " within 30 s");
                }
                first = first == null ? at : first;
                all = all == null || at.isAfter(all) ? at : all;
            }
            if (i % 10 == 0) {
                for (Devstack.Edge e : stack.edges()) {
                    if (Shell.run("wg", "show", e.interfaceName(), "peers").contains(key)) {
                        throw new IllegalStateException(e.id() + " acknowledged removing " + key + " but wg show still has it");
                    }
                }
                confirmed++;
            }
            goneFirst.add(millis(wall0, first));
            goneAll.add(millis(wall0, all));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("active_peers_before", active() - mine.size() + Math.min(revocations, mine.size()));
        s.put("register_api", api.summary());
        s.put("register_to_live_first_edge", liveFirst.summary());
        s.put("register_to_live_all_edges", liveAll.summary());
        s.put("revoke_to_gone_first_edge", goneFirst.summary());
        s.put("revoke_to_gone_all_edges", goneAll.summary());
        s.put("confirmed_with_wg_show", confirmed);
        s.put("register_breakdown_p50", Breakdown.of(stack.connection(dev.wgcp.schemas.kafka.KafkaAccess.AUDIT), stack.schemaRegistryUrl(), marks));
        return s;
    }

    /**
     * Registrations at a fixed rate; each timed from its request to the first edge's acknowledgement.
     * At the end the first edge's interface is read once: every registered peer must be on it.
     */
    private Map<String, Object> sustained(int seconds) throws Exception {
        int total = rate * seconds;
        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        Map<String, String> addressByKey = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        String edge = stack.edges().get(0).id();
        List<CompletableFuture<?>> requests = new ArrayList<>();
        CpuUsage cpuBefore = CpuUsage.now();
        long start = System.nanoTime();
        Instant startWall = Instant.now();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String key = randomKey();
            sentAt.put(key, Instant.now());
            requests.add(http.sendAsync(post(key), HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                if (r.statusCode() != 201 && r.statusCode() != 202) {
                    failed.incrementAndGet();
                } else {
                    try {
                        JsonNode body = JSON.readTree(r.body());
                        idByKey.put(key, body.path("id").asText());
                        addressByKey.put(key, body.path("ipv4Address").asText(""));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }).exceptionally(e -> {
                failed.incrementAndGet();
                return null;
            }));
        }
        CompletableFuture.allOf(requests.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Instant> seenAt = new LinkedHashMap<>();
        for (String key : sentAt.keySet()) {
            if (idByKey.containsKey(key)) {
                Instant at = acks.await(edge, key, PeerAction.ADDED, deadline);
                if (at != null) {
                    seenAt.put(key, at);
                }
            }
        }
        Map<String, Double> cpu = CpuUsage.now().since(cpuBefore);
        // The agent's word for each, and the interface itself for all of them at the end.
        Map<String, List<String>> live = EdgeWatch.peers(stack.interfaceName());
        int onInterface = 0;
        for (String key : sentAt.keySet()) {
            List<String> ips = live.get(key);
            String address = addressByKey.get(key);
            if (ips != null && address != null && (address.isEmpty() || ips.contains(address + "/32"))) {
                onInterface++;
            }
        }
        Instant lastSeen = seenAt.values().stream().max(Instant::compareTo).orElse(startWall);
        Stats latency = new Stats();
        seenAt.forEach((k, t) -> latency.add(millis(sentAt.get(k), t)));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("target_rate_per_s", rate);
        s.put("sent", total);
        s.put("failed_requests", failed.get());
        s.put("acknowledged_by_edge", seenAt.size());
        s.put("live_on_edge", onInterface);
        s.put("lost", total - failed.get() - onInterface);
        s.put("achieved_live_per_s", Stats.round(seenAt.size() / (Duration.between(startWall, lastSeen).toNanos() / 1e9)));
        s.put("register_to_live_first_edge", latency.summary());
        s.put("cpu_ms_by_process", cpu);
        // Where the time goes under load: the step whose p50 grows is the one that saturates.
        Map<String, Breakdown.Marks> marks = new LinkedHashMap<>();
        seenAt.forEach((key, t) -> {
            String id = idByKey.get(key);
            if (id != null) {
                marks.put(id, new Breakdown.Marks(sentAt.get(key).toEpochMilli(), t.toEpochMilli()));
            }
        });
        s.put("register_breakdown_p50", Breakdown.of(stack.connection(dev.wgcp.schemas.kafka.KafkaAccess.AUDIT), stack.schemaRegistryUrl(), marks));
        return s;
    }

    /** Registers peers, 32 requests in flight, until {@code target} peers exist. */
    private void preload(int target) throws Exception {
        int missing = target - active();
        if (missing <= 0) {
            return;
        }
        LOG.info("preloading {} peers (to {})", missing, target);
        List<String> keys = registerMany(missing);
        awaitAcks(keys, PeerAction.ADDED, TimeUnit.MINUTES.toNanos(5));
    }

    /** Registers {@code count} new peers, 32 requests in flight; their keys. */
    private List<String> registerMany(int count) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(randomKey());
        }
        inParallel(keys, key -> post(key), (key, body) -> idByKey.put(key, JSON.readTree(body).path("id").asText()), "registrations");
        return keys;
    }

    /** Revokes the peers of {@code keys}, 32 requests in flight. */
    private void revokeMany(List<String> keys) throws Exception {
        inParallel(keys, key -> HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/v1/peers/" + idByKey.get(key)))
                .header("Authorization", authorization).DELETE().build(), (key, body) -> revoked++, "revocations");
    }

    private interface BodyHandler {
        void accept(String key, String body) throws Exception;
    }

    private void inParallel(List<String> keys, java.util.function.Function<String, HttpRequest> request, BodyHandler onSuccess,
                            String what) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> requests = new ArrayList<>();
        for (String key : keys) {
            inFlight.acquire();
            requests.add(http.sendAsync(request.apply(key), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                inFlight.release();
                if (e != null || r.statusCode() / 100 != 2) {
                    failed.incrementAndGet();
                    return;
                }
                try {
                    synchronized (this) {
                        onSuccess.accept(key, r.body());
                    }
                } catch (Exception ex) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(requests.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + keys.size() + " " + what + " failed");
        }
    }

    /** Peers revoked so far: the edge holds every registered peer but these. */
    private int revoked;

    /** Peers registered and not revoked: what each edge's interface holds. */
    private int active() {
        return idByKey.size() - revoked;
    }

    /** Waits until every edge acknowledged {@code action} for every key. */
    private void awaitAcks(List<String> keys, PeerAction action, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (String key : keys) {
            for (Devstack.Edge e : stack.edges()) {
                if (acks.await(e.id(), key, action, deadline) == null) {
                    throw new IllegalStateException(action + " of " + key + " was not acknowledged by " + e.id() + " in time");
                }
            }
        }
    }

    /** Pages through the registry and counts tunnel addresses held by more than one peer. */
    private int duplicateAddresses() throws Exception {
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (int offset = 0; ; offset += 1000) {
            JsonNode page = JSON.readTree(send("GET", "/v1/peers?limit=1000&offset=" + offset, null, 200));
            if (page.isEmpty()) {
                break;
            }
            for (JsonNode p : page) {
                String a = p.path("ipv4Address").asText(null);
                if (a != null && !seen.add(a)) {
                    duplicates++;
                }
            }
        }
        return duplicates;
    }

    private JsonNode register(String key) throws Exception {
        HttpResponse<String> r = http.send(post(key), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("registration answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode peer = JSON.readTree(r.body());
        idByKey.put(key, peer.path("id").asText());
        return peer;
    }

    private HttpRequest post(String key) {
        return HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/v1/networks/home/peers"))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"publicKey\":\"" + key + "\"}")).build();
    }

    private String send(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.registryUrl() + path)).header("Content-Type", "application/json")
                .header("Authorization", authorization);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        if ("DELETE".equals(method)) {
            revoked++;
        }
        return r.body();
    }

    /** A random 32-byte public key: WireGuard accepts any 32 bytes, and nobody needs the private half here. */
    private static String randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
