package dev.wgcp.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Micrometer timer as a service's {@code /prometheus} shows it: how many events, and their total
 * seconds. Reading it before and after one event gives that event's own time.
 */
record TimerReading(double count, double sumSeconds) {

    /** The timer {@code name} (Prometheus spelling, e.g. wgcp_agent_apply_duration_seconds) of the service at {@code baseUrl}. */
    static TimerReading read(HttpClient http, String baseUrl, String name, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/prometheus"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String metrics = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        double count = Double.NaN;
        double sum = Double.NaN;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "_count")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith(name + "_sum")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        if (Double.isNaN(count) || Double.isNaN(sum)) {
            throw new IllegalStateException(baseUrl + "/prometheus exports no " + name);
        }
        return new TimerReading(count, sum);
    }

    /** The timer once it has counted at least {@code count} events; it is read as often as it answers until then. */
    static TimerReading awaitCount(HttpClient http, String baseUrl, String name, double count, Duration timeout, String authorization)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TimerReading t = read(http, baseUrl, name, authorization);
            if (t.count() >= count) {
                return t;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " at " + baseUrl + " did not reach " + count + " within " + timeout);
            }
        }
    }

    /** Milliseconds this reading's events took beyond {@code before}'s. */
    double millisSince(TimerReading before) {
        return (sumSeconds - before.sumSeconds) * 1000.0;
    }
}
