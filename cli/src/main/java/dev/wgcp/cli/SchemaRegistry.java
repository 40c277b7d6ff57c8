package dev.wgcp.cli;

import dev.wgcp.registry.schema.SchemaRegistryServer;
import dev.wgcp.registry.schema.WritersFile;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code wgcp schema-registry}: wgcp's own schema registry (the Confluent REST subset of module
 * schema-registry) for deployments that run it on its own, as docker compose does: reads open,
 * writes only with a service's Kafka credentials, checked against a file of their PBKDF2 hashes.
 */
@Command(name = "schema-registry", description = "Runs the schema registry (reads open, writes by the services), or makes its writers file.",
        subcommands = {SchemaRegistry.Writers.class, SchemaRegistry.Serve.class})
final class SchemaRegistry {
    @ParentCommand
    Wgcp root;

    @Command(name = "writers", description = "Writes the schema writers file (0600): the services' Kafka principals with PBKDF2 hashes"
            + " of their passwords, from the password directory 'wgcp kafka init' made. Keeps an existing file.")
    static final class Writers implements Callable<Integer> {
        @ParentCommand
        SchemaRegistry registry;
        @Option(names = "--password-dir", required = true, paramLabel = "DIR", description = "The <principal>.password files (wgcp kafka init's passwords/)")
        Path passwordDir;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The writers file (the registry's --writers-file)")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out)) {
                registry.root.out().println(out + " exists: kept");
                return 0;
            }
            List<String> lines = new ArrayList<>(List.of("# schema writers (wgcp schema-registry writers): <principal>:pbkdf2-sha256:..."));
            for (String principal : KafkaAccess.services()) {
                Path file = passwordDir.resolve(principal + ".password");
                if (!Files.isReadable(file)) {
                    throw new Api.ApiException(2, "no password of " + principal + " in " + passwordDir + ": expected " + file
                            + " (run 'wgcp kafka init' first)");
                }
                try {
                    lines.add(WritersFile.line(principal, KafkaConnection.readSecret(file, "Kafka password of " + principal)));
                } catch (IllegalArgumentException e) {
                    throw new Api.ApiException(2, e.getMessage());
                }
            }
            try {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(out, lines);
            } catch (IOException e) {
                throw new Api.ApiException(2, "cannot write the writers file " + out + " (" + e.getClass().getSimpleName()
                        + "): expected a path in a directory this user may write");
            }
            registry.root.out().println("schema writers " + KafkaAccess.services() + " written to " + out);
            return 0;
        }
    }

    @Command(name = "serve", description = "Runs the schema registry until stopped (SIGTERM).")
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        SchemaRegistry registry;
        @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on, default ${DEFAULT-VALUE}")
        String host;
        @Option(names = "--port", defaultValue = "8081", description = "Port, default ${DEFAULT-VALUE}")
        int port;
        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the schemas are kept (schemas.log)")
        Path dataDir;
        @Option(names = "--writers-file", required = true, paramLabel = "FILE", description = "Who may register schemas ('wgcp schema-registry writers')")
        Path writersFile;

        @Override
        public Integer call() throws Exception {
            WritersFile writers;
            try {
                writers = WritersFile.read(writersFile);
            } catch (IOException e) {
                throw new Api.ApiException(2, "cannot read the writers file " + writersFile + " (" + e.getClass().getSimpleName()
                        + "): make it with 'wgcp schema-registry writers'");
            } catch (IllegalArgumentException e) {
                throw new Api.ApiException(2, e.getMessage());
            }
            SchemaRegistryServer server;
            try {
                server = SchemaRegistryServer.start(host, port, dataDir, writers);
            } catch (IOException e) {
                throw new Api.ApiException(2, "cannot serve on " + host + ":" + port + " with schemas in " + dataDir + " ("
                        + e.getMessage() + "): choose a free --port and a --data-dir this user may write");
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "schema-registry-stop"));
            registry.root.out().println("schema registry on " + server.url() + ", schemas in " + dataDir + ", writers " + writers.users());
            registry.root.out().flush();
            stopped.await();
            return 0;
        }
    }
}
