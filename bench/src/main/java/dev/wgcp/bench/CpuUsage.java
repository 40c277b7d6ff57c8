package dev.wgcp.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the benchmark's own process (the broker, the schema registry and the observer run in
 * it) and of every process it started (services, PostgreSQL, wireguard-go), grouped by what they are,
 * so that a phase can say where its CPU went. Processes that end between two readings (short-lived
 * PostgreSQL backends) are missed, which the report says.
 */
final class CpuUsage {

    private final Map<Long, Sample> byPid;

    private record Sample(String group, long cpuNanos) {
    }

    private CpuUsage(Map<Long, Sample> byPid) {
        this.byPid = byPid;
    }

    static CpuUsage now() {
        Map<Long, Sample> m = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        m.put(self.pid(), new Sample("bench (broker, schema registry, observer)", cpu(self)));
        self.descendants().forEach(p -> m.put(p.pid(), new Sample(group(p), cpu(p))));
        return new CpuUsage(m);
    }

    /** CPU milliseconds per group spent between {@code before} and this reading, largest first. */
    Map<String, Double> since(CpuUsage before) {
        Map<String, Double> ms = new TreeMap<>();
        byPid.forEach((pid, s) -> {
            Sample b = before.byPid.get(pid);
            long delta = s.cpuNanos() - (b == null ? 0 : b.cpuNanos());
            ms.merge(s.group(), delta / 1e6, Double::sum);
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        ms.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Stats.round(e.getValue())));
        return sorted;
    }

    private static long cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** A service by its jar, wireguard-go and PostgreSQL by their command; other helpers as "other". */
    private static String group(ProcessHandle p) {
        String command = p.info().command().orElse("");
        String[] args = p.info().arguments().orElse(new String[0]);
        if (command.endsWith("/java") || command.endsWith("/setsid")) {
            return Arrays.stream(args).filter(a -> a.endsWith(".jar"))
                    .map(a -> a.substring(a.lastIndexOf('/') + 1).replaceAll("-\\d.*", ""))
                    .findFirst().orElse("java");
        }
        if (command.contains("wireguard-go")) {
            return "wireguard-go";
        }
        if (command.contains("postgres")) {
            return "postgresql";
        }
        return "other";
    }
}
