package dev.wgcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgcp.devstack.Devstack;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The edge agent against the way others apply changes: with N peers on a wireguard-go interface,
 * one new peer applied by the agent (its diff: one control-socket {@code set} with that peer, read
 * from the agent's {@code wgcp.agent.apply.duration} timer) against one new peer applied as a full
 * rewrite with {@code wg syncconf} of the whole config (how wg-easy applies every change; timed as
 * the command's wall time). Then a cold start: the agent stopped, the interface emptied, the agent
 * started — time until all N peers are on the interface again (JVM start, replay of the topics,
 * one batched apply).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "One change at N peers: the agent's diff against a full `wg syncconf`; cold start with N peers.")
final class AgentBench implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AgentBench.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String APPLY_TIMER = "wgcp_agent_apply_duration_seconds";

    @Option(names = "--peers", defaultValue = "10000", description = "Peers on the interface, default ${DEFAULT-VALUE}.")
    private int peers;

    @Option(names = "--samples", defaultValue = "30", description = "Single changes measured each way, default ${DEFAULT-VALUE}.")
    private int samples;

    @Option(names = "--out", defaultValue = "docs", description = "Where benchmarks-agent.md and .json go, default ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--repo", defaultValue = ".", description = "The wgcp checkout whose service jars to run, default ${DEFAULT-VALUE}.")
    private Path repo;

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
    private Devstack stack;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wgcp-agent-bench");
        stack = Devstack.start(Devstack.Options.forTest(data, repo.toAbsolutePath().normalize()).withTunnelCidr("10.64.0.0/16", "10.64.0.1"));
        Map<String, Object> report = new LinkedHashMap<>();
        try {
            report.put("date", Instant.now().toString());
            report.put("cpus", Runtime.getRuntime().availableProcessors());
            report.put("cpu_model", Shell.exec(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")).output().strip());
            report.put("wireguard_go", Shell.exec(List.of("sh", "-c", "dpkg-query -W -f='${Version}' wireguard-go")).output().strip());
            report.put("peers", peers);
            LOG.info("registering {} peers", peers);
            long preloadStart = System.nanoTime();
            registerMany(peers);
            awaitPeerCount(peers, Duration.ofMinutes(10));
            report.put("preload_s", Math.round((System.nanoTime() - preloadStart) / 1e8) / 10.0);

            LOG.info("one change at a time, {} times each way", samples);
            Stats agent = new Stats();
            Stats agentRoundTrip = new Stats();
            Stats syncconf = new Stats();
            AckWatch acks = new AckWatch(stack.connection(dev.wgcp.schemas.kafka.KafkaAccess.AUDIT), stack.schemaRegistryUrl());
            for (int i = 0; i < samples; i++) {
                TimerReading before = TimerReading.read(http, stack.agentUrl(), APPLY_TIMER, "Bearer " + stack.agentToken());
                String key = randomKey();
                Instant sent = Instant.now();
                register(key).join();
                Instant live = acks.await("edge-0", key, dev.wgcp.events.v1.PeerAction.ADDED,
                        System.nanoTime() + Duration.ofSeconds(30).toNanos());
                if (live == null) {
                    throw new IllegalStateException("the agent did not acknowledge peer " + key + " within 30 s");
                }
                agentRoundTrip.add(Duration.between(sent, live).toNanos() / 1e6);
                TimerReading after = TimerReading.awaitCount(http, stack.agentUrl(), APPLY_TIMER, before.count() + 1, Duration.ofSeconds(5),
                        "Bearer " + stack.agentToken());
                if (after.count() == before.count() + 1) {
                    agent.add(after.millisSince(before)); // another apply in between (a resync) would blur the sample
                }
                syncconf.add(syncconfOnePeer(i));
            }
            acks.close();
            Map<String, Object> single = new LinkedHashMap<>();
            single.put("agent_apply", agent.summary());
            single.put("agent_register_to_live", agentRoundTrip.summary());
            single.put("wg_syncconf", syncconf.summary());
            single.put("p50_ratio_syncconf_to_agent", Math.round(syncconf.percentile(50) / agent.percentile(50) * 10) / 10.0);
            report.put("single_change", single);
            write(report);

            LOG.info("cold start with {} peers", peers + samples);
            report.put("cold_start", coldStart(peers + samples));
            write(report);
        } finally {
            stack.close();
        }
        LOG.info("wrote {}", out.resolve("benchmarks-agent.md"));
        return 0;
    }

    /** A full rewrite as wg-easy does it: the whole config with one more peer, through `wg syncconf`; its wall time in ms. */
    private double syncconfOnePeer(int i) throws Exception {
        String ifName = stack.interfaceName();
        String conf = Shell.run("wg", "showconf", ifName);
        String key = randomKey();
        Path file = Files.createTempFile("wgcp-syncconf", ".conf");
        try {
            Files.writeString(file, conf + "\n[Peer]\nPublicKey = " + key + "\nAllowedIPs = 10.64.250." + (i % 250 + 1) + "/32\n");
            long t0 = System.nanoTime();
            Shell.Result r = Shell.exec(List.of("wg", "syncconf", ifName, file.toString()));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.exitCode() != 0) {
                throw new IllegalStateException("wg syncconf failed: " + r.output());
            }
            return ms;
        } finally {
            Shell.exec(List.of("wg", "set", ifName, "peer", key, "remove"));
            Files.deleteIfExists(file);
        }
    }

    private Map<String, Object> coldStart(int expected) throws Exception {
        String ifName = stack.interfaceName();
        String conf = Shell.run("wg", "showconf", ifName);
        String interfaceOnly = conf.substring(0, conf.indexOf("[Peer]"));
        stack.stopAgent(0);
        if (healthy()) {
            throw new IllegalStateException("the agent still answers at " + stack.agentUrl() + " after being stopped");
        }
        Path file = Files.createTempFile("wgcp-empty", ".conf");
        Files.writeString(file, interfaceOnly);
        Shell.run("wg", "setconf", ifName, file.toString());
        Files.deleteIfExists(file);
        if (peerCount() != 0) {
            throw new IllegalStateException("the interface still has peers after setconf");
        }
        long t0 = System.nanoTime();
        stack.startAgent(0);
        double healthy = Double.NaN;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Double.isNaN(healthy) && healthy()) {
                healthy = (System.nanoTime() - t0) / 1e6;
            }
            if (peerCount() >= expected) {
                break;
            }
            Thread.sleep(20);
        }
        double ready = (System.nanoTime() - t0) / 1e6;
        if (peerCount() < expected) {
            throw new IllegalStateException("after a cold start only " + peerCount() + " of " + expected + " peers came back");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peers", expected);
        m.put("agent_http_up_ms", Math.round(healthy));
        m.put("all_peers_on_interface_ms", Math.round(ready));
        return m;
    }

    private boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(stack.agentUrl() + "/health")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private int peerCount() {
        String list = Shell.run("wg", "show", stack.interfaceName(), "peers").strip();
        return list.isEmpty() ? 0 : (int) list.lines().count();
    }

    private void awaitPeerCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (peerCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + peerCount() + " of " + count + " peers on the interface after " + timeout);
            }
            Thread.sleep(10);
        }
    }

    private void registerMany(int count) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            all.add(register(randomKey()).whenComplete((r, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<Void> register(String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/v1/networks/home/peers"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + stack.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"publicKey\":\"" + key + "\"}")).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
            if (r.statusCode() != 201 && r.statusCode() != 202) {
                throw new IllegalStateException("registration refused: " + r.statusCode() + " " + r.body());
            }
        });
    }

    private static String randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private void write(Map<String, Object> report) throws java.io.IOException {
        Files.createDirectories(out);
        report.put("command", "./dev.sh bench agent");
        Files.writeString(out.resolve("benchmarks-agent.json"), JSON.writeValueAsString(report));
        Files.writeString(out.resolve("benchmarks-agent.md"), markdown(report));
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("# Benchmark: applying one change at ").append(r.get("peers")).append(" peers, and a cold start\n\n");
        sb.append("`").append(r.get("command")).append("` on ").append(r.get("date")).append(", ").append(r.get("cpus")).append(" CPUs (")
                .append(r.get("cpu_model")).append("), wireguard-go ").append(r.get("wireguard_go")).append(", the devstack with one edge"
                        + " (everything on this machine). Raw samples: benchmarks-agent.json.\n\n");
        Map<String, Object> single = (Map<String, Object>) r.get("single_change");
        if (single != null) {
            sb.append("## One new peer on an interface with ").append(r.get("peers")).append(" peers\n\n");
            sb.append("| how | n | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |\n");
            row(sb, "the agent's diff: one control-socket set with the one peer (agent's apply timer)",
                    (Map<String, Object>) single.get("agent_apply"));
            row(sb, "full rewrite: `wg syncconf` of the whole config plus the peer (wall time, as wg-easy applies changes)",
                    (Map<String, Object>) single.get("wg_syncconf"));
            row(sb, "for scale: the whole path, registration API call → the agent's acknowledgement that the peer is on the interface"
                    + " (registry, ipam, firewall-sync's ruleset applied first, then the peer)",
                    (Map<String, Object>) single.get("agent_register_to_live"));
            sb.append("\nRatio of the p50s, full rewrite / agent: **").append(single.get("p50_ratio_syncconf_to_agent")).append("×**.\n\n");
        }
        Map<String, Object> cold = (Map<String, Object>) r.get("cold_start");
        if (cold != null) {
            sb.append("## Cold start\n\nThe agent stopped, the interface emptied (`wg setconf` with no peers), the agent started: its HTTP"
                    + " API answered after ").append(cold.get("agent_http_up_ms")).append(" ms (JVM start), and all ")
                    .append(cold.get("peers")).append(" peers were on the interface after ").append(cold.get("all_peers_on_interface_ms"))
                    .append(" ms (replay of the peer, address and ruleset topics, one batched apply).\n");
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void row(StringBuilder sb, String how, Map<String, Object> s) {
        sb.append("| ").append(how).append(" | ").append(s.get("count")).append(" | ").append(s.get("p50_ms")).append(" | ")
                .append(s.get("p99_ms")).append(" | ").append(s.get("max_ms")).append(" |\n");
    }
}
