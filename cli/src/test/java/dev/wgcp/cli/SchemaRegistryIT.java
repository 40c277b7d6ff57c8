package dev.wgcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgcp.infra.Ports;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.SchemaRegistryException;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wgcp schema-registry}, as docker compose runs it: the CLI's jar as its own process. */
class SchemaRegistryIT {

    @TempDir
    Path dir;

    @Test
    void theServicesRegisterSchemasWithTheirKafkaPasswordsAndEveryoneElseOnlyReads() throws Exception {
        Path passwords = Files.createDirectories(dir.resolve("passwords"));
        Path writers = dir.resolve("schema-registry").resolve("writers");
        CliRun busy = CliRun.of("schema-registry", "serve", "--port", "1", "--host", "127.0.0.1", "--data-dir", dir.resolve("x").toString(),
                "--writers-file", dir.resolve("none").toString());
        assertEquals(2, busy.exit());
        assertTrue(busy.err().contains("cannot read the writers file") && busy.err().contains("wgcp schema-registry writers"), busy.err());
        CliRun missing = CliRun.of("schema-registry", "writers", "--password-dir", passwords.toString(), "--out", writers.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no password of registry-service") && missing.err().contains("wgcp kafka init"), missing.err());
        for (String principal : KafkaAccess.services()) {
            Files.writeString(passwords.resolve(principal + ".password"), "pw-of-" + principal + "\n");
        }
        Files.writeString(passwords.resolve("edge.edge-0.password"), "pw-of-the-edge\n");
        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        CliRun unwritable = CliRun.of("schema-registry", "writers", "--password-dir", passwords.toString(), "--out",
                aFile.resolve("writers").toString());
        assertEquals(2, unwritable.exit());
        assertTrue(unwritable.err().contains("cannot write the writers file") && unwritable.err().contains("expected a path"),
                unwritable.err());
        CliRun made = CliRun.of("schema-registry", "writers", "--password-dir", passwords.toString(), "--out", writers.toString());
        assertEquals(0, made.exit(), made.err());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(writers));
        String text = Files.readString(writers);
        assertFalse(text.contains("pw-of-"), "hashes only: " + text);
        assertFalse(text.contains("edge.edge-0"), "edges are no writers");
        assertTrue(CliRun.of("schema-registry", "writers", "--password-dir", passwords.toString(), "--out", writers.toString())
                .out().contains("kept"));

        int port = Ports.free();
        Process registry = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar",
                cliJar().toString(), "schema-registry", "serve", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--data-dir", dir.resolve("data").toString(), "--writers-file", writers.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        try {
            String url = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.io.IOException.class)
                    .until(() -> {
                        assertTrue(registry.isAlive(), Files.readString(dir.resolve("registry.log")));
                        return http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200;
                    });
            CliRun taken = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> CliRun.of(
                    "schema-registry", "serve", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data-dir", dir.resolve("other").toString(),
                    "--writers-file", writers.toString()));
            assertEquals(2, taken.exit());
            assertTrue(taken.err().contains("cannot serve on 127.0.0.1:" + port) && taken.err().contains("choose a free --port"), taken.err());
            // A service registers every topic's schema with its Kafka principal and password, as at its start.
            KafkaTopics.registerSchemas(SchemaRegistryClient.withCredentials(url, KafkaAccess.IPAM, "pw-of-" + KafkaAccess.IPAM));
            assertTrue(new SchemaRegistryClient(url).subjects().contains(Topics.PEERS.valueSubject()));
            // An edge (no writer) and anyone else only read: look-ups work, writes are refused.
            assertTrue(new SchemaRegistryClient(url).register(Topics.APPLIED.valueSubject(), Topics.APPLIED.valueSchema()) > 0);
            SchemaRegistryException edge = assertThrows(SchemaRegistryException.class, () -> SchemaRegistryClient
                    .withCredentials(url, "edge.edge-0", "pw-of-the-edge").register("x-value", Topics.PEERS.valueSchema()));
            assertEquals(401, edge.status());
            SchemaRegistryException wrong = assertThrows(SchemaRegistryException.class, () -> SchemaRegistryClient
                    .withCredentials(url, KafkaAccess.REGISTRY, "guess").register("x-value", Topics.PEERS.valueSchema()));
            assertEquals(401, wrong.status());
            HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(url + "/config"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"NONE\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, config.statusCode(), config.body());
            assertFalse(new SchemaRegistryClient(url).subjects().contains("x-value"), "nothing of theirs registered");
            assertFalse(Files.readString(dir.resolve("registry.log")).contains("guess"), "no password in the log");
        } finally {
            registry.destroy();
            assertTrue(registry.waitFor(20, TimeUnit.SECONDS), "SIGTERM stops it");
        }
    }

    private static Path cliJar() throws Exception {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "cli-*-all.jar")) {
            for (Path j : jars) {
                return j;
            }
        }
        throw new IllegalStateException("no cli jar under target: the integration tests run after 'mvn package'");
    }
}
