package dev.wgcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wgcp.firewall.domain.AllowList;
import dev.wgcp.firewall.domain.EdgeSpec;
import dev.wgcp.firewall.domain.FirewallPeer;
import dev.wgcp.firewall.domain.PeerGroup;
import dev.wgcp.firewall.domain.Policy;
import dev.wgcp.firewall.domain.PolicySet;
import dev.wgcp.firewall.domain.Protocol;
import dev.wgcp.firewall.domain.Ruleset;
import dev.wgcp.firewall.domain.RulesetCompiler;
import dev.wgcp.infra.Netns;
import dev.wgcp.infra.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * firewall-sync's compiler and the edge's one-transaction apply against rule-at-a-time: for N peers
 * (with groups by tag, two policies and an allow-list), the time to compile the edge's ruleset, to
 * apply it with one {@code nft -f} (replacing the table as a whole), and to bring one new peer in as
 * a set element (what the agent does for a registration); against the same per-peer accept rules
 * added one {@code nft add rule} at a time (a rule per peer, as firewalls keyed by address lists
 * are often kept). Everything in a network namespace of its own, with the real nft.
 */
@Command(name = "firewall", mixinStandardHelpOptions = true,
        description = "Compile and apply a ruleset for N peers in one nft transaction, against one `nft add rule` per peer.")
final class FirewallBench implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallBench.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--peers", defaultValue = "10000", description = "Peers in the ruleset, default ${DEFAULT-VALUE}.")
    private int peers;

    @Option(names = "--samples", defaultValue = "20", description = "Compilations and whole-table applies measured, default ${DEFAULT-VALUE}.")
    private int samples;

    @Option(names = "--out", defaultValue = "docs", description = "Where benchmarks-firewall.md and .json go, default ${DEFAULT-VALUE}.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        EdgeSpec edge = new EdgeSpec("edge-0", "home", "wg0");
        List<FirewallPeer> all = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            String tag = i % 10 == 0 ? "admin" : i % 3 == 0 ? "server" : "user";
            all.add(new FirewallPeer(UUID.randomUUID().toString(), "10.64." + (i / 250) + "." + (i % 250 + 2),
                    String.format("fd00:64::%x", i + 2), Set.of(tag), "198.51." + (i % 200) + "." + (i % 250 + 1)));
        }
        PolicySet policies = new PolicySet(
                List.of(new PeerGroup("home", "admins", List.of("admin"), List.of(), false, 0),
                        new PeerGroup("home", "servers", List.of("server"), List.of(), false, 1),
                        new PeerGroup("home", "users", List.of("user"), List.of(), false, 2)),
                List.of(new Policy("home", "admin-ssh", "admins", "servers", null, Protocol.TCP, List.of("22"), List.of()),
                        new Policy("home", "users-web", "users", "servers", null, Protocol.TCP, List.of("80", "443"), List.of()),
                        new Policy("home", "admins-lan", "admins", null, List.of("192.168.0.0/16"), Protocol.ANY, List.of(), List.of())),
                List.of(new AllowList("home", "mgmt", "admins", Protocol.TCP, List.of("22"), List.of())));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().toString());
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        report.put("cpu_model", Shell.exec(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")).output().strip());
        report.put("nft", Shell.exec(List.of("nft", "--version")).output().strip());
        report.put("peers", peers);

        LOG.info("compiling the ruleset for {} peers, {} times", peers, samples);
        Stats compile = new Stats();
        Ruleset ruleset = null;
        for (int i = 0; i < samples + 3; i++) {
            long t = System.nanoTime();
            ruleset = RulesetCompiler.compile(edge, all, policies);
            if (i >= 3) { // the first ones warm the JIT up
                compile.add((System.nanoTime() - t) / 1e6);
            }
        }
        report.put("ruleset_bytes", ruleset.text().length());
        report.put("ruleset_rules", ruleset.text().lines().filter(l -> l.contains(" accept") || l.contains(" drop")
                || l.contains("ct mark set")).count());
        Path dir = Files.createTempDirectory("wgcp-fw-bench");
        Path script = dir.resolve("ruleset.nft");
        Files.writeString(script, ruleset.text());
        try (Netns ns = Netns.create("wgcp-fwb-" + Netns.uniqueSuffix())) {
            LOG.info("applying it with one nft -f, {} times", samples);
            Stats whole = new Stats();
            for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                ns.exec("nft", "-f", script.toString());
                whole.add((System.nanoTime() - t) / 1e6);
            }
            LOG.info("one new peer as set elements, {} times", samples);
            Stats element = new Stats();
            for (int i = 0; i < samples; i++) {
                Path add = dir.resolve("add.nft");
                String v4 = "10.65.0." + (i + 2);
                Files.writeString(add, "add element inet wgcp peers_v4 { " + v4 + " }\nadd element inet wgcp g_users_v4 { " + v4 + " }\n");
                long t = System.nanoTime();
                ns.exec("nft", "-f", add.toString());
                element.add((System.nanoTime() - t) / 1e6);
            }

            LOG.info("the same peers as one accept rule each, one nft add rule at a time ({} processes)", peers);
            ns.exec("nft", "add", "table", "inet", "bench");
            ns.exec("nft", "add", "chain", "inet", "bench", "input", "{ type filter hook input priority filter; policy accept; }");
            Stats perRule = new Stats();
            long started = System.nanoTime();
            for (FirewallPeer p : all) {
                long t = System.nanoTime();
                ns.exec("nft", "add", "rule", "inet", "bench", "input", "iifname", "wg0", "ip", "saddr", p.ipv4Address(), "accept");
                perRule.add((System.nanoTime() - t) / 1e6);
            }
            double perRuleTotal = (System.nanoTime() - started) / 1e6;
            LOG.info("and one more rule with {} rules in the chain", peers);
            Stats oneMoreRule = new Stats();
            for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                ns.exec("nft", "add", "rule", "inet", "bench", "input", "iifname", "wg0", "ip", "saddr", "10.66.0." + (i + 2), "accept");
                oneMoreRule.add((System.nanoTime() - t) / 1e6);
            }

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("compile", compile.summary());
            r.put("apply_whole_table", whole.summary());
            r.put("add_one_peer_as_elements", element.summary());
            r.put("add_rule_each", perRule.summary());
            r.put("add_rule_each_total_ms", Math.round(perRuleTotal));
            r.put("add_one_more_rule", oneMoreRule.summary());
            double oneTransaction = compile.percentile(50) + whole.percentile(50);
            r.put("compile_and_apply_p50_ms", Math.round(oneTransaction * 100) / 100.0);
            r.put("ratio_rule_at_a_time_to_one_transaction", Math.round(perRuleTotal / oneTransaction * 10) / 10.0);
            r.put("ratio_one_rule_to_one_element", Math.round(oneMoreRule.percentile(50) / element.percentile(50) * 10) / 10.0);
            report.put("results", r);
        }
        write(report);
        LOG.info("wrote {}", out.resolve("benchmarks-firewall.md"));
        return 0;
    }

    private void write(Map<String, Object> report) throws java.io.IOException {
        Files.createDirectories(out);
        report.put("command", "./dev.sh bench firewall");
        Files.writeString(out.resolve("benchmarks-firewall.json"), JSON.writeValueAsString(report));
        Files.writeString(out.resolve("benchmarks-firewall.md"), markdown(report));
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> report) {
        Map<String, Object> r = (Map<String, Object>) report.get("results");
        StringBuilder sb = new StringBuilder("# Benchmark: a ruleset for ").append(report.get("peers"))
                .append(" peers in one nft transaction, against one rule at a time\n\n");
        sb.append("`").append(report.get("command")).append("` on ").append(report.get("date")).append(", ").append(report.get("cpus"))
                .append(" CPUs (").append(report.get("cpu_model")).append("), ").append(report.get("nft"))
                .append(", in a network namespace of its own. The ruleset: ").append(report.get("peers"))
                .append(" peers (IPv4 and IPv6) in three groups by tag, three policies, one allow-list — ")
                .append(report.get("ruleset_bytes")).append(" bytes, ").append(report.get("ruleset_rules"))
                .append(" rules, every address in a named set. Raw samples: benchmarks-firewall.json.\n\n");
        sb.append("| step | n | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |\n");
        row(sb, "compile the edge's ruleset (firewall-sync)", (Map<String, Object>) r.get("compile"));
        row(sb, "apply it: one `nft -f`, the table replaced as a whole", (Map<String, Object>) r.get("apply_whole_table"));
        row(sb, "one new peer: its address added to two sets, one `nft -f` (the agent's element change)",
                (Map<String, Object>) r.get("add_one_peer_as_elements"));
        row(sb, "rule at a time: one `nft add rule` per peer (`ip saddr <address> accept`)", (Map<String, Object>) r.get("add_rule_each"));
        row(sb, "rule at a time: one more peer's rule with all of them in the chain", (Map<String, Object>) r.get("add_one_more_rule"));
        sb.append("\nCompile and apply in one transaction: **").append(r.get("compile_and_apply_p50_ms")).append(" ms** (p50s added); the same")
                .append(" peers as one `nft add rule` each: **").append(r.get("add_rule_each_total_ms")).append(" ms** in all — ")
                .append(r.get("ratio_rule_at_a_time_to_one_transaction")).append("× longer, and the chain half built meanwhile (a")
                .append(" peer without its rule yet is dropped). One more peer: a rule ")
                .append(((Map<String, Object>) r.get("add_one_more_rule")).get("p50_ms")).append(" ms against set elements ")
                .append(((Map<String, Object>) r.get("add_one_peer_as_elements")).get("p50_ms")).append(" ms (")
                .append(r.get("ratio_one_rule_to_one_element")).append("×), and every packet then walks a chain of ")
                .append(report.get("peers")).append(" rules instead of one set lookup.\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String step, Map<String, Object> s) {
        sb.append("| ").append(step).append(" | ").append(s.get("count")).append(" | ").append(s.get("p50_ms")).append(" | ")
                .append(s.get("p99_ms")).append(" | ").append(s.get("max_ms")).append(" |\n");
    }
}
