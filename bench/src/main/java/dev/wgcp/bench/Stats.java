package dev.wgcp.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Latency samples in milliseconds and their percentiles (nearest rank). */
public final class Stats {

    private final List<Double> samples = new ArrayList<>();

    public synchronized void add(double millis) {
        samples.add(millis);
    }

    public synchronized int count() {
        return samples.size();
    }

    public synchronized double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public synchronized double max() {
        return samples.isEmpty() ? Double.NaN : Collections.max(samples);
    }

    public synchronized Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", samples.size());
        m.put("p50_ms", round(percentile(50)));
        m.put("p99_ms", round(percentile(99)));
        m.put("max_ms", round(max()));
        m.put("samples_ms", samples.stream().map(Stats::round).toList());
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
