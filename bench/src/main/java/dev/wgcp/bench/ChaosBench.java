package dev.wgcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgcp.devstack.Devstack;
import dev.wgcp.devstack.chaos.ChaosRun;
import dev.wgcp.infra.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./dev.sh bench chaos}: faults injected under load on the real stack, every acknowledged call accounted for. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Kills each part of a stack with two instances of every service and two edges with SIGKILL, at random moments,"
                + " under steady registrations, rotations and revocations; accounts for every acknowledged call (docs/reliability.md).")
final class ChaosBench implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosBench.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--rounds", defaultValue = "3", description = "How many times each part is killed, default ${DEFAULT-VALUE}.")
    private int rounds;

    @Option(names = "--rate", defaultValue = "5", description = "API calls per second of the load, default ${DEFAULT-VALUE}.")
    private double rate;

    @Option(names = "--down", defaultValue = "3s", description = "How long a killed part stays down, default ${DEFAULT-VALUE}.")
    private String down;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random moments and order, default ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--out", defaultValue = "docs", description = "Where benchmarks-chaos.md and .json go, default ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--repo", defaultValue = ".", description = "The wgcp checkout whose service jars to run, default ${DEFAULT-VALUE}.")
    private Path repo;

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wgcp-chaos-bench");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().toString());
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        report.put("cpu_model", Shell.exec(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")).output().strip());
        report.put("command", "./dev.sh bench chaos --rounds " + rounds + " --rate " + rate + " --down " + down + " --seed " + seed);
        try (Devstack stack = Devstack.start(Devstack.Options.forTest(data, repo.toAbsolutePath().normalize()).withEdges(2).withReplicas(2)
                // A /16: revoked peers keep their addresses, and a /24 would run out within minutes of load
                .withTunnelCidr("10.64.0.0/16", "10.64.0.1"))) {
            ChaosRun.Report r = new ChaosRun(stack, rate, Duration.parse("PT" + down.toUpperCase()), Duration.ofSeconds(120), seed)
                    .run(ChaosRun.everyFault(stack), rounds);
            report.putAll(ChaosRun.toMap(r));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("benchmarks-chaos.json"), JSON.writeValueAsString(report));
        Files.writeString(out.resolve("benchmarks-chaos.md"), markdown(report));
        LOG.info("wrote {}", out.resolve("benchmarks-chaos.md"));
        return (Integer) report.get("lost_registrations") + (Integer) report.get("lost_revocations")
                + (Integer) report.get("duplicate_addresses") + (Integer) report.get("duplicate_keys") == 0 ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("# Chaos: faults under load, every acknowledged call accounted for\n\n");
        sb.append("`").append(r.get("command")).append("` on ").append(r.get("date")).append(", ").append(r.get("cpus"))
                .append(" CPUs (").append(r.get("cpu_model")).append("). The devstack with two instances of every service, two edges on"
                        + " wireguard-go and one Kafka broker (in the devstack's JVM, so not among the faults yet), everything on this"
                        + " machine; each part killed with SIGKILL at a random moment, started again after the down time. Raw figures:"
                        + " benchmarks-chaos.json.\n\n");
        sb.append("| acknowledged | lost | duplicated |\n| --- | --- | --- |\n");
        sb.append("| ").append(r.get("registered")).append(" registrations, ").append(r.get("rotated")).append(" rotations, ")
                .append(r.get("revoked")).append(" revocations | ").append(r.get("lost_registrations")).append(" registrations never live, ")
                .append(r.get("lost_revocations")).append(" revoked keys still on an edge | ").append(r.get("duplicate_addresses"))
                .append(" addresses on two peers, ").append(r.get("duplicate_keys")).append(" keys on two peers |\n\n");
        sb.append("API availability: ").append(r.get("api_calls")).append(" calls, ")
                .append(Math.round((Double) r.get("api_2xx_share") * 10000) / 100.0).append(" % answered 2xx, ")
                .append(r.get("api_5xx")).append(" answered 5xx, ").append(r.get("api_unreachable"))
                .append(" found no instance listening (each retried once at the other instance, as a load balancer would).\n\n");
        sb.append("Time from a part's restart until everything acknowledged before it holds on every edge:\n\n");
        sb.append("| fault | kills | converge p50 ms | converge max ms | all converged |\n| --- | --- | --- | --- | --- |\n");
        Map<String, List<Map<String, Object>>> byFault = new LinkedHashMap<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) r.get("faults")) {
            byFault.computeIfAbsent((String) f.get("fault"), k -> new ArrayList<>()).add(f);
        }
        new java.util.TreeMap<>(byFault).forEach((fault, list) -> {
            Stats s = new Stats();
            list.forEach(f -> s.add(((Number) f.get("converge_ms")).doubleValue()));
            sb.append("| ").append(fault).append(" | ").append(list.size()).append(" | ").append(Math.round(s.percentile(50)))
                    .append(" | ").append(Math.round(s.percentile(100))).append(" | ")
                    .append(list.stream().allMatch(f -> Boolean.TRUE.equals(f.get("converged"))) ? "yes" : "**no**").append(" |\n");
        });
        List<String> problems = (List<String>) r.get("problems");
        if (!problems.isEmpty()) {
            sb.append("\nProblems seen:\n\n");
            problems.forEach(p -> sb.append("- ").append(p).append('\n'));
        }
        return sb.toString();
    }
}
