package dev.wgcp.cli;

import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.kafka.KafkaCredentials;
import dev.wgcp.schemas.kafka.KafkaTls;
import dev.wgcp.schemas.kafka.KafkaTopics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code wgcp kafka}: the brokers' security set-up from the same code the devstack and the tests
 * use. {@code init} makes a cluster's TLS identity and every principal's password (compose);
 * {@code setup} creates the topics and, for every password file, the principal's SCRAM credential
 * and exactly its ACLs ({@code KafkaAccess}); {@code grant} and {@code revoke} do so for one
 * principal (an edge added; a credential leaked). Passwords only ever travel in files.
 */
@Command(name = "kafka", description = "Kafka security set-up: TLS and passwords (init), topics, credentials and ACLs (setup, grant, revoke).",
        subcommands = {Kafka.Init.class, Kafka.Setup.class, Kafka.Grant.class, Kafka.Revoke.class})
final class Kafka {
    @ParentCommand
    Wgcp root;

    /** Principals every installation has; edges are added by name. */
    static List<String> fixedPrincipals() {
        List<String> p = new ArrayList<>(KafkaAccess.services());
        p.addAll(List.of(KafkaAccess.AUDIT, KafkaAccess.SCHEMA_REGISTRY, KafkaAccess.KAFKA_UI));
        return p;
    }

    @Command(name = "init", description = "Makes, in DIR and once (nothing is overwritten): a CA, the brokers' certificate, the administrator's"
            + " client certificate, one password per principal (passwords/<principal>.password, 0600) and client settings files.")
    static final class Init implements Callable<Integer> {
        @ParentCommand
        Kafka kafka;
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the files go (a volume only the set-up and the brokers mount)")
        Path dir;
        @Option(names = "--broker-host", required = true, split = ",", paramLabel = "HOST",
                description = "Names (or addresses) clients reach the brokers by, in the brokers' certificate")
        List<String> brokerHosts;
        @Option(names = "--client-port", defaultValue = "9092", description = "The brokers' SASL_SSL port, default ${DEFAULT-VALUE}") int clientPort;
        @Option(names = "--admin-port", defaultValue = "9094",
                description = "The brokers' certificate-only listener where the administrator connects, default ${DEFAULT-VALUE}") int adminPort;
        @Option(names = "--edge", paramLabel = "EDGE_ID", description = "An edge whose agent gets a principal and a password; repeatable")
        List<String> edges = new ArrayList<>();
        @Option(names = "--owner", paramLabel = "WHO=UID",
                description = "Gives WHO's files to user id UID (broker: broker.pem; a principal: its password file), for containers that run"
                        + " as another user; repeatable")
        Map<String, Integer> owners = new LinkedHashMap<>();
        @Option(names = "--jaas-env", paramLabel = "PRINCIPAL=VARIABLE",
                description = "Writes <principal>.env (0600): VARIABLE=the principal's SASL JAAS line, for programs that take their Kafka"
                        + " login only from the environment (Kafka UI, Confluent's Schema Registry); repeatable")
        Map<String, String> jaasEnv = new LinkedHashMap<>();

        @Override
        public Integer call() {
            try {
                return make();
            } catch (IOException e) {
                throw new Api.ApiException(1, "cannot write into " + dir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "): expected a directory this user may write, on a POSIX file system");
            }
        }

        private Integer make() throws IOException {
            String host = brokerHosts.get(0);
            KafkaTls tls = KafkaTls.inDirectory(dir, brokerHosts, true);
            KafkaCredentials passwords = KafkaCredentials.inDirectory(dir.resolve("passwords"));
            List<String> principals = new ArrayList<>(fixedPrincipals());
            edges.forEach(e -> principals.add(KafkaAccess.edge(e)));
            for (String p : principals) {
                passwords.passwordFile(p);
            }
            // The administrator and the brokers' health check connect with their certificates: no password in these files.
            writeSettings(dir.resolve(KafkaAccess.ADMIN + ".properties"), host + ":" + adminPort, tls.adminKeyAndChain(), tls.caCertificate());
            writeSettings(dir.resolve("broker-client.properties"), "localhost:" + adminPort, tls.brokerKeyAndChain(), tls.caCertificate());
            passwords.clientConfigFile(KafkaConnection.scram(host + ":" + clientPort, KafkaAccess.AUDIT, passwords.password(KafkaAccess.AUDIT),
                    tls.caCertificate()));
            for (Map.Entry<String, String> j : jaasEnv.entrySet()) {
                if (!principals.contains(j.getKey()) || !j.getValue().matches("[A-Z][A-Z0-9_]*")) {
                    throw new Api.ApiException(2, "--jaas-env " + j.getKey() + "=" + j.getValue() + ": expected one of " + principals
                            + "=AN_ENVIRONMENT_VARIABLE");
                }
                Path env = dir.resolve(j.getKey() + ".env");
                if (!Files.exists(env)) {
                    Files.createFile(env, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(env, j.getValue() + "=" + KafkaConnection.jaas("org.apache.kafka.common.security.scram.ScramLoginModule",
                            j.getKey(), passwords.password(j.getKey())) + "\n");
                }
            }
            for (Map.Entry<String, Integer> o : owners.entrySet()) {
                if (o.getKey().equals("broker")) {
                    own(tls.brokerKeyAndChain(), o.getValue());
                    own(dir.resolve("broker-client.properties"), o.getValue());
                } else if (principals.contains(o.getKey())) {
                    own(passwords.passwordFile(o.getKey()), o.getValue());
                } else {
                    throw new Api.ApiException(2, "--owner " + o.getKey() + ": expected broker or one of " + principals);
                }
            }
            kafka.root.out().println("Kafka TLS and credentials in " + dir + " (CA: " + tls.caCertificate() + "; principals: "
                    + String.join(", ", principals) + ")");
            return 0;
        }

        private static void writeSettings(Path file, String bootstrap, Path keyAndChain, Path ca) throws IOException {
            if (Files.exists(file)) {
                return;
            }
            Files.writeString(file, "# Kafka client settings of a certificate-holding super user (written by wgcp kafka init)\n"
                    + "bootstrap.servers=" + bootstrap + "\nsecurity.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=" + keyAndChain
                    + "\nssl.truststore.type=PEM\nssl.truststore.location=" + ca + "\n");
        }

        private static void own(Path file, int uid) throws IOException {
            Files.setAttribute(file, "unix:uid", uid);
            Files.setAttribute(file, "unix:gid", uid);
        }
    }

    /** The settings of {@code --admin-config}, with the brokers of {@code --bootstrap-servers} when given. */
    static Properties adminSettings(Path file, String bootstrap) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new Api.ApiException(2, "cannot read the Kafka administrator's settings " + file + " (" + e.getClass().getSimpleName()
                    + "): expected a Kafka client properties file of a super user (wgcp kafka init writes wgcp-admin.properties)");
        }
        if (bootstrap != null) {
            p.put("bootstrap.servers", bootstrap);
        }
        if (!p.containsKey("bootstrap.servers")) {
            throw new Api.ApiException(2, file + " has no bootstrap.servers: add it, or give --bootstrap-servers");
        }
        p.put("client.id", "wgcp-kafka-setup");
        p.put("default.api.timeout.ms", "30000");
        return p;
    }

    /** How {@code setup}, {@code grant} and {@code revoke} reach the brokers: as a super user. */
    static final class AdminOptions {
        @Option(names = "--admin-config", required = true, paramLabel = "FILE", description = "Kafka client settings of a super user")
        Path adminConfig;
        @Option(names = "--bootstrap-servers", description = "The brokers (default: bootstrap.servers of the --admin-config file)")
        String bootstrap;

        Admin admin() {
            return Admin.create(adminSettings(adminConfig, bootstrap));
        }
    }

    @Command(name = "setup", description = "Creates wgcp's topics (with their retention, compaction and broker append times) and, for each"
            + " <principal>.password in --password-dir, the principal's SCRAM credential and its ACLs. Safe to run again.")
    static final class Setup implements Callable<Integer> {
        @ParentCommand
        Kafka kafka;
        @picocli.CommandLine.Mixin
        AdminOptions brokers;
        @Option(names = "--password-dir", paramLabel = "DIR", description = "Directory of <principal>.password files")
        Path passwordDir;
        @Option(names = "--partitions", defaultValue = "3", description = "Partitions of each new event topic, default ${DEFAULT-VALUE}") int partitions;
        @Option(names = "--replication-factor", defaultValue = "3",
                description = "Copies of each partition of a new topic (one per broker), default ${DEFAULT-VALUE}; 1 on a single broker")
        int replicationFactor;
        @Option(names = "--min-insync-replicas", defaultValue = "2",
                description = "Copies that must have a write before it is acknowledged (acks=all), default ${DEFAULT-VALUE}; 1 on a single broker")
        int minInsyncReplicas;

        @Override
        public Integer call() {
            KafkaTopics.Layout layout;
            try {
                layout = new KafkaTopics.Layout(partitions, replicationFactor, minInsyncReplicas);
            } catch (IllegalArgumentException e) {
                throw new Api.ApiException(2, e.getMessage());
            }
            Map<String, String> passwords = new TreeMap<>();
            if (passwordDir != null) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(passwordDir, "*.password")) {
                    for (Path f : files) {
                        String principal = f.getFileName().toString().replaceFirst("\\.password$", "");
                        passwords.put(principal, KafkaConnection.readSecret(f, "Kafka password of " + principal));
                    }
                } catch (IOException e) {
                    throw new Api.ApiException(2, "cannot read --password-dir " + passwordDir + " (" + e.getClass().getSimpleName()
                            + "): expected a directory of <principal>.password files (wgcp kafka init writes passwords/)");
                } catch (IllegalArgumentException e) {
                    throw new Api.ApiException(2, e.getMessage());
                }
            }
            try (Admin admin = brokers.admin()) {
                KafkaTopics.createAll(admin, layout);
                KafkaAccess.apply(admin, passwords);
            } catch (IllegalStateException e) {
                throw new Api.ApiException(1, e.getMessage());
            }
            kafka.root.out().println("topics ready; credentials and ACLs for " + (passwords.isEmpty() ? "nobody" : String.join(", ", passwords.keySet())));
            return 0;
        }
    }

    @Command(name = "grant", description = "Creates or replaces PRINCIPAL's SCRAM credential (password from a file) and grants its ACLs.")
    static final class Grant implements Callable<Integer> {
        @ParentCommand
        Kafka kafka;
        @Parameters(paramLabel = "PRINCIPAL", description = "e.g. edge.edge-7, registry-service") String principal;
        @Option(names = "--password-file", required = true, paramLabel = "FILE") Path passwordFile;
        @picocli.CommandLine.Mixin
        AdminOptions brokers;

        @Override
        public Integer call() {
            if (KafkaAccess.grants(principal).isEmpty()) {
                throw new Api.ApiException(2, principal + " is no wgcp principal: expected one of " + fixedPrincipals() + " or edge.<edge-id>");
            }
            try (Admin admin = brokers.admin()) {
                KafkaAccess.apply(admin, Map.of(principal, KafkaConnection.readSecret(passwordFile, "Kafka password of " + principal)));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new Api.ApiException(1, e.getMessage());
            }
            kafka.root.out().println(principal + ": credential set, " + KafkaAccess.grants(principal).size() + " ACLs");
            return 0;
        }
    }

    @Command(name = "revoke", description = "Takes everything from PRINCIPAL: its SCRAM credential and every ACL naming it.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        Kafka kafka;
        @Parameters(paramLabel = "PRINCIPAL") String principal;
        @picocli.CommandLine.Mixin
        AdminOptions brokers;

        @Override
        public Integer call() {
            try (Admin admin = brokers.admin()) {
                KafkaAccess.revoke(admin, principal);
            } catch (IllegalStateException e) {
                throw new Api.ApiException(1, e.getMessage());
            }
            kafka.root.out().println(principal + ": credential deleted and every ACL naming it removed; open connections end at their next"
                    + " re-authentication");
            return 0;
        }
    }
}
