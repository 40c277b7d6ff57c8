package dev.wgcp.infra;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A wgcp service running as its own JVM from its shaded jar, logging to a file (the devstack's services, a test's registry). */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final String url;

    private ServiceProcess(String name, Process process, Path log, String url) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** Starts {@code jar} with the configuration file {@code config} (its secrets: keep it 0600), serving on {@code port}. */
    public static ServiceProcess start(String name, Path jar, Path config, Path log, int port) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " jar " + jar + " is missing: build first with 'mvn -DskipTests install'");
        }
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(
                // A session of its own: Ctrl-C reaches only the devstack, which then stops the services in order
                // while the database and broker they use are still up.
                "setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small heaps and the serial collector: four JVMs share two cores on the devstack.
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dmicronaut.config.files=" + config,
                "-jar", jar.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServiceProcess(name, p, log, "http://127.0.0.1:" + port);
    }

    /** The shaded jar of {@code module} under {@code repoRoot}/{@code module}/target, built by {@code mvn package}. */
    public static Path jar(Path repoRoot, String module) throws IOException {
        Path target = repoRoot.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*-all.jar")) {
                for (Path j : jars) {
                    return j;
                }
            }
        }
        throw new IllegalStateException("no " + module + " jar under " + target + ": build with 'mvn -DskipTests install' first");
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    /** Waits until GET /health answers 200; fails with the end of the service's log if it dies or hangs. */
    public void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; end of " + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " did not become healthy within " + timeout + "; end of " + log + ":\n" + tail());
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Kills the process with SIGKILL, as a crash would: no shutdown hook runs. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
