package dev.wgcp.bench;

import java.util.List;
import java.util.Map;

/** Renders the report as docs/benchmarks.md: environment, then every latency with its ratio to the floor. */
final class Markdown {

    private Markdown() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> report, String name) {
        Map<String, Object> env = (Map<String, Object>) report.get("environment");
        Map<String, Object> floor = (Map<String, Object>) report.get("kafka_floor");
        double floorP50 = ((Number) floor.get("p50_ms")).doubleValue();
        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmarks").append("benchmarks".equals(name) ? "" : " (" + name + ")").append("\n\n");
        sb.append("Written by `").append(report.get("command")).append("` (module `bench`); raw numbers in [")
                .append(name).append(".json](").append(name).append(".json). What was changed to get here: [performance.md](performance.md). ")
                .append("Every latency is measured in the same run as the Kafka floor and shown as a ratio to the floor's p50. ")
                .append("A peer is live on an edge at the moment the edge's agent says its interface confirmed the change ")
                .append("(`appliedAt` of the agent's `AgentApplied` acknowledgement, on the same clock as the benchmark); every 20th ")
                .append("registration and every 10th revocation is confirmed with `wg show` itself on every edge, and at the end of the ")
                .append("sustained phase the interface is read whole to count what is really on it. Before the first scenario, ")
                .append(report.getOrDefault("warmup_registrations", 0))
                .append(" peers are registered and then revoked, 32 requests at a time, unmeasured, so that the broker's and the services' code paths are compiled.\n\n");
        sb.append("What one address allocation costs ipam-service as a /16 fills to its last address is measured apart, by `./dev.sh bench ipam`:"
                + " [benchmarks-ipam.md](benchmarks-ipam.md); one change at 10,000 peers against a full `wg syncconf`, and a cold start, by"
                + " `./dev.sh bench agent`: [benchmarks-agent.md](benchmarks-agent.md).\n\n");
        sb.append("## Machine\n\n| | |\n| --- | --- |\n");
        env.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("\n## Floor\n\nKafka produce (acks=all) → consume round trip on the devstack's broker, one at a time: ");
        sb.append(row(floor, floorP50, false)).append("\n\n");
        Map<String, Object> signing = (Map<String, Object>) report.get("signing");
        if (signing != null) {
            Map<String, Object> sign = (Map<String, Object>) signing.get("sign");
            Map<String, Object> verify = (Map<String, Object>) signing.get("verify");
            double both = ((Number) sign.get("p50_ms")).doubleValue() + ((Number) verify.get("p50_ms")).doubleValue();
            sb.append("## Signing\n\nEvery record is signed by the service that writes it and verified by every agent before it applies it"
                    + " (Ed25519, BouncyCastle; docs/security.md). One peer registration of ").append(signing.get("record_bytes"))
                    .append(" bytes, in this JVM: sign ").append(row(sign, floorP50, false)).append("; verify ").append(row(verify, floorP50, false))
                    .append(". A registration reaches an edge through two signed records (the peer's and its address), so signing and"
                            + " verifying add about ").append(String.format("%.3f", 2 * both)).append(" ms to each registration's path,"
                            + " compared with the scenarios' p50s below.\n\n");
        }
        sb.append("## Latency by scenario\n\n");
        sb.append("| scenario | measure | n | p50 ms | p99 ms | max ms | p50 / floor p50 |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) report.get("scenarios")) {
            for (String m : List.of("register_api", "register_to_live_first_edge", "register_to_live_all_edges",
                    "revoke_to_gone_first_edge", "revoke_to_gone_all_edges")) {
                Map<String, Object> st = (Map<String, Object>) s.get(m);
                sb.append("| ").append(s.get("name")).append(" | ").append(m.replace('_', ' ')).append(" | ")
                        .append(st.get("count")).append(" | ").append(st.get("p50_ms")).append(" | ").append(st.get("p99_ms"))
                        .append(" | ").append(st.get("max_ms")).append(" | ")
                        .append(String.format("%.1f×", ((Number) st.get("p50_ms")).doubleValue() / floorP50)).append(" |\n");
            }
        }
        sb.append("\n## Where a registration's time goes (p50 per step, ms)\n\n");
        sb.append("| scenario | request → PeerRegistered built | registry commit + outbox relay | Kafka → ipam + allocation | ipam commit + outbox relay | Kafka → agent + wg apply |\n");
        sb.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) report.get("scenarios")) {
            breakdownRow(sb, String.valueOf(s.get("name")), (Map<String, Object>) s.get("register_breakdown_p50"));
        }
        Map<String, Object> sus = (Map<String, Object>) report.get("sustained");
        if (sus != null && sus.get("register_breakdown_p50") != null) {
            breakdownRow(sb, "sustained at " + sus.get("target_rate_per_s") + "/s", (Map<String, Object>) sus.get("register_breakdown_p50"));
        }
        if (sus == null) {
            return sb.append("\n(The run stopped before the sustained phase.)\n").toString();
        }
        Map<String, Object> lat = (Map<String, Object>) sus.get("register_to_live_first_edge");
        sb.append("\n## Sustained registrations\n\nRun last, with every peer of the scenarios above still registered, after the same load for " + sus.getOrDefault("warmup_s", 0) + " s unmeasured (so that what is compiled at this rate, in the broker as in the services, is compiled before the measurement).\n\n| | |\n| --- | --- |\n");
        for (String k : List.of("target_rate_per_s", "sent", "failed_requests", "acknowledged_by_edge", "live_on_edge", "lost",
                "achieved_live_per_s")) {
            sb.append("| ").append(k.replace('_', ' ')).append(" | ").append(sus.getOrDefault(k, "")).append(" |\n");
        }
        sb.append("| register → live on the first edge | ").append(row(lat, floorP50, true)).append(" |\n");
        sb.append("| duplicate addresses across all peers at the end | ")
                .append(report.getOrDefault("duplicate_addresses", "(run stopped before the check)")).append(" |\n");
        Map<String, Object> cpu = (Map<String, Object>) sus.get("cpu_ms_by_process");
        if (cpu != null) {
            double live = ((Number) sus.get("live_on_edge")).doubleValue();
            double total = cpu.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
            sb.append("\nCPU during the sustained phase, from its first request until the last peer was live (processes that ended ")
                    .append("before the end, such as short-lived PostgreSQL backends, are not counted):\n\n")
                    .append("| process | CPU ms | CPU ms per registration | share |\n| --- | --- | --- | --- |\n");
            cpu.forEach((k, v) -> {
                double ms = ((Number) v).doubleValue();
                sb.append("| ").append(k).append(" | ").append(Stats.round(ms)).append(" | ")
                        .append(String.format("%.3f", live == 0 ? Double.NaN : ms / live)).append(" | ")
                        .append(String.format("%.0f %%", total == 0 ? 0 : 100 * ms / total)).append(" |\n");
            });
            sb.append("| all | ").append(Stats.round(total)).append(" | ")
                    .append(String.format("%.3f", live == 0 ? Double.NaN : total / live)).append(" | 100 % |\n");
        }
        return sb.toString();
    }

    private static void breakdownRow(StringBuilder sb, String name, Map<String, Object> b) {
        sb.append("| ").append(name).append(" | ").append(b.get("request_to_PeerRegistered_built_ms"))
                .append(" | ").append(b.get("registry_commit_and_outbox_relay_ms"))
                .append(" | ").append(b.get("kafka_to_ipam_and_allocation_ms"))
                .append(" | ").append(b.get("ipam_commit_and_outbox_relay_ms"))
                .append(" | ").append(b.get("kafka_to_agent_and_wg_apply_ms")).append(" |\n");
    }

    private static String row(Map<String, Object> st, double floorP50, boolean ratio) {
        String s = "p50 " + st.get("p50_ms") + " ms, p99 " + st.get("p99_ms") + " ms, max " + st.get("max_ms") + " ms (n=" + st.get("count") + ")";
        if (ratio) {
            s += String.format(", p50 %.1f× the floor", ((Number) st.get("p50_ms")).doubleValue() / floorP50);
        }
        return s;
    }
}
