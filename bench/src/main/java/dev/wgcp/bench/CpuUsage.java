package dev.wgcp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every process the benchmark started (services, wireguard-go), of PostgreSQL, and of
 * the benchmark's own threads grouped by role (the Kafka broker and the schema registry run inside
 * it, beside the load generator), so that a phase can say where its CPU went. Threads and processes
 * that end between two readings are missed, which the report says.
 */
final class CpuUsage {

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private final Map<String, Sample> byTask;

    private record Sample(String group, long cpuNanos) {
    }

    private CpuUsage(Map<String, Sample> byTask) {
        this.byTask = byTask;
    }

    static CpuUsage now() {
        Map<String, Sample> m = new LinkedHashMap<>();
        ProcessHandle.current().descendants().forEach(p -> m.put("pid " + p.pid(), new Sample(group(p), cpu(p))));
        // PostgreSQL detaches from its starter (pg_ctl), so its server and backends are found by command.
        ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("/postgres"))
                .forEach(p -> m.put("pid " + p.pid(), new Sample("postgresql", cpu(p))));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // Fields after the name, from 0: state is 0, utime is 11, stime is 12 (proc(5) fields 14 and 15).
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    m.put("tid " + t.getFileName(), new Sample(threadGroup(comm), ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            });
        } catch (IOException e) {
            // no /proc: the benchmark's own share stays unknown
        }
        return new CpuUsage(m);
    }

    /** CPU milliseconds per group spent between {@code before} and this reading, largest first. */
    Map<String, Double> since(CpuUsage before) {
        Map<String, Double> ms = new TreeMap<>();
        byTask.forEach((task, s) -> {
            Sample b = before.byTask.get(task);
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

    /** A service by its jar, wireguard-go by its command; other helpers as "other". */
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
        return "other";
    }

    /** The role of one of the benchmark's own threads, from its (15-character) name. */
    private static String threadGroup(String comm) {
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "bench JVM: JIT compilers";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM ")) {
            return "bench JVM: GC and VM";
        }
        if (comm.startsWith("schema-registry")) {
            return "schema registry";
        }
        if (comm.startsWith("HttpClient") || comm.startsWith("pool-") || comm.equals("main")
                || comm.startsWith("ack-watch")) {
            return "bench: load generator and acknowledgement reader";
        }
        if (comm.equals("java")) {
            return "bench JVM: thread named java";
        }
        return "Kafka broker";
    }
}
