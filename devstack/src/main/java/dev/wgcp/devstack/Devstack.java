package dev.wgcp.devstack;

import dev.wgcp.infra.Cleanup;
import dev.wgcp.infra.EmbeddedDatabase;
import dev.wgcp.infra.EmbeddedKafka;
import dev.wgcp.infra.KafkaTopics;
import dev.wgcp.infra.Netns;
import dev.wgcp.infra.Ports;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.infra.WireGuardGo;
import dev.wgcp.registry.schema.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole wgcp stack on one machine, on real parts: PostgreSQL, a KRaft Kafka broker and the schema
 * registry in this JVM; registry-service, ipam-service, endpoint-tracker, firewall-sync and an edge agent as their own JVMs; the edge's
 * WireGuard interface (wireguard-go) in a network namespace of its own, joined by a veth pair to a
 * second "lan" namespace from which a client can dial in. The machine's own network is not touched.
 */
public final class Devstack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Devstack.class);

    /**
     * @param name        distinguishes namespaces and interfaces ("dev" for the main devstack, random in tests)
     * @param transitNet  first three octets of the /24 joining the edge and lan namespaces (edge .1, lan .2)
     */
    public record Options(Path dataDir, Path repoRoot, String name, int kafkaPort, int postgresPort,
                          int schemaRegistryPort, int registryPort, int ipamPort, int agentPort, int trackerPort, int firewallPort, int wireguardPort,
                          String network, String tunnelCidr, String edgeTunnelAddress, String transitNet) {

        public static Options defaults(Path dataDir, Path repoRoot) {
            return new Options(dataDir, repoRoot, "dev", 9092, 5433, 8081, 8080, 8082, 8083, 8084, 8085, 51820,
                    "home", "10.100.0.0/24", "10.100.0.1", "192.0.2");
        }

        /** Free ports and unique names, so tests never collide with each other or a running devstack. */
        public static Options forTest(Path dataDir, Path repoRoot) {
            return new Options(dataDir, repoRoot, Netns.uniqueSuffix(), 0, 0, 0, Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), 51820, "home", "10.100.0.0/24", "10.100.0.1", "192.0.2");
        }

        String edgeNamespace() {
            return "wgcp-" + name + "-edge";
        }

        String lanNamespace() {
            return "wgcp-" + name + "-lan";
        }

        String interfaceName() {
            return "wgcp-" + name;
        }

        String edgeEndpoint() {
            return transitNet + ".1:" + wireguardPort;
        }

        int prefixLength() {
            return Integer.parseInt(tunnelCidr.substring(tunnelCidr.indexOf('/') + 1));
        }
    }

    private final Options options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private EmbeddedKafka kafka;
    private EmbeddedDatabase database;
    private SchemaRegistryServer schemaRegistry;
    private Netns edge;
    private Netns lan;
    private String edgePublicKey;
    private ServiceProcess registry;
    private ServiceProcess ipam;
    private ServiceProcess agent;
    private ServiceProcess tracker;
    private ServiceProcess firewall;

    private Devstack(Options options) {
        this.options = options;
    }

    public static Devstack start(Options options) {
        Devstack stack = new Devstack(options);
        Cleanup.register(stack);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void startAll() throws IOException {
        Path data = options.dataDir().toAbsolutePath();
        Files.createDirectories(data);

        CompletableFuture<EmbeddedDatabase> db = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedDatabase.start(data.resolve("postgres"), options.postgresPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        kafka = track(EmbeddedKafka.start(data.resolve("kafka"), options.kafkaPort()));
        schemaRegistry = track(SchemaRegistryServer.start("127.0.0.1", options.schemaRegistryPort(), data.resolve("schema-registry")));
        KafkaTopics.createAll(kafka.bootstrapServers(), 3);
        database = track(db.join());
        String registryDb = database.createDatabase("registry");
        String ipamDb = database.createDatabase("ipam");
        String trackerDb = database.createDatabase("endpoints");

        startNetwork(data);

        Path config = data.resolve("config");
        Files.createDirectories(config);
        Path logs = data.resolve("logs");
        Files.writeString(config.resolve("registry.yml"), registryConfig(registryDb));
        Files.writeString(config.resolve("ipam.yml"), ipamConfig(ipamDb));
        Files.writeString(config.resolve("edge-agent.yml"), agentConfig(data.resolve("edge").resolve("private.key")));
        Files.writeString(config.resolve("endpoint-tracker.yml"), trackerConfig(trackerDb));
        Files.writeString(config.resolve("firewall-sync.yml"), firewallConfig());

        ipam = track(ServiceProcess.start("ipam-service", jar("ipam-service"), config.resolve("ipam.yml"), logs.resolve("ipam-service.log"), options.ipamPort()));
        registry = track(ServiceProcess.start("registry-service", jar("registry-service"), config.resolve("registry.yml"), logs.resolve("registry-service.log"), options.registryPort()));
        agent = track(ServiceProcess.start("edge-agent", jar("edge-agent"), config.resolve("edge-agent.yml"), logs.resolve("edge-agent.log"), options.agentPort()));
        tracker = track(ServiceProcess.start("endpoint-tracker", jar("endpoint-tracker"), config.resolve("endpoint-tracker.yml"), logs.resolve("endpoint-tracker.log"), options.trackerPort()));
        firewall = track(ServiceProcess.start("firewall-sync", jar("firewall-sync"), config.resolve("firewall-sync.yml"), logs.resolve("firewall-sync.log"), options.firewallPort()));
        for (ServiceProcess s : List.of(ipam, registry, agent, tracker, firewall)) {
            s.awaitHealthy(Duration.ofSeconds(90));
            LOG.info("{} is up at {} (log: {})", s.name(), s.url(), s.log());
        }
    }

    private void startNetwork(Path data) throws IOException {
        removeStale(options.edgeNamespace());
        removeStale(options.lanNamespace());
        Files.deleteIfExists(WireGuardGo.SOCKET_DIR.resolve(options.interfaceName() + ".sock"));

        edge = track(Netns.create(options.edgeNamespace()));
        lan = track(Netns.create(options.lanNamespace()));
        String veth = options.name().length() <= 9 ? options.name() : options.name().substring(0, 9);
        edge.link("wge-" + veth, options.transitNet() + ".1/24", lan, "wgl-" + veth, options.transitNet() + ".2/24");
        edge.startWireGuard(options.interfaceName());
        edge.exec("ip", "addr", "add", options.edgeTunnelAddress() + "/" + options.prefixLength(), "dev", options.interfaceName());
        edge.exec("ip", "link", "set", options.interfaceName(), "up");

        // The edge keeps its key across restarts, so client configs handed out earlier stay valid.
        Path keyDir = data.resolve("edge");
        Files.createDirectories(keyDir);
        Path key = keyDir.resolve("private.key");
        if (!Files.exists(key)) {
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, WgKeys.generatePrivateKey() + "\n");
        }
        edgePublicKey = WgKeys.publicKey(Files.readString(key).strip());
    }

    /** A namespace of this devstack's name left by a run that was killed: its processes go, then it goes. */
    private static void removeStale(String ns) {
        if (Shell.run("ip", "netns", "list").lines().anyMatch(l -> l.split(" ")[0].equals(ns))) {
            LOG.warn("removing namespace {} left over by an earlier run", ns);
            Shell.Result pids = Shell.exec(List.of("ip", "netns", "pids", ns));
            pids.output().lines().filter(s -> !s.isBlank()).forEach(pid -> Shell.exec(List.of("kill", "-9", pid.strip())));
            Shell.run("ip", "netns", "del", ns);
        }
    }

    private Path jar(String module) throws IOException {
        Path target = options.repoRoot().resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*-all.jar")) {
                for (Path j : jars) {
                    return j;
                }
            }
        }
        throw new IllegalStateException("no " + module + " jar under " + target + ": build with 'mvn -DskipTests install' first");
    }

    private String kafkaYaml() {
        return "  kafka:\n"
                + "    bootstrap-servers: \"" + kafka.bootstrapServers() + "\"\n"
                + "    schema-registry-url: \"" + schemaRegistry.url() + "\"\n";
    }

    private String datasourceYaml(String url) {
        return "datasources:\n  default:\n"
                + "    url: \"" + url + "\"\n"
                + "    username: " + database.username() + "\n"
                + "    password: " + database.password() + "\n";
    }

    private String registryConfig(String url) {
        return "micronaut:\n  server:\n    port: " + options.registryPort() + "\n"
                + datasourceYaml(url)
                + "wgcp:\n" + kafkaYaml()
                + "  networks:\n"
                + "    " + options.network() + ":\n"
                + "      routes: [\"" + options.tunnelCidr() + "\"]\n"
                + "      persistent-keepalive: 25\n"
                + "  edges:\n"
                + "    edge-0:\n"
                + "      public-key: \"" + edgePublicKey + "\"\n"
                + "      endpoint: \"" + options.edgeEndpoint() + "\"\n"
                + "      networks: [\"" + options.network() + "\"]\n";
    }

    private String ipamConfig(String url) {
        return "micronaut:\n  server:\n    port: " + options.ipamPort() + "\n"
                + datasourceYaml(url)
                + "wgcp:\n" + kafkaYaml()
                + "  pools:\n"
                + "    " + options.network() + "-v4:\n"
                + "      network: " + options.network() + "\n"
                + "      cidr: \"" + options.tunnelCidr() + "\"\n"
                + "      reserved: [\"" + options.edgeTunnelAddress() + "\"]\n";
    }

    private String trackerConfig(String url) {
        return "micronaut:\n  server:\n    port: " + options.trackerPort() + "\n"
                + datasourceYaml(url)
                + "wgcp:\n" + kafkaYaml();
    }

    private String firewallConfig() {
        return "micronaut:\n  server:\n    port: " + options.firewallPort() + "\n"
                + "wgcp:\n" + kafkaYaml()
                + "  firewall:\n"
                + "    edges:\n"
                + "      edge-0:\n"
                + "        network: " + options.network() + "\n"
                + "        interface: \"" + options.interfaceName() + "\"\n";
    }

    private String agentConfig(Path privateKey) {
        return "micronaut:\n  server:\n    port: " + options.agentPort() + "\n"
                + "wgcp:\n" + kafkaYaml()
                + "  agent:\n"
                + "    edge-id: edge-0\n"
                + "    interface-name: \"" + options.interfaceName() + "\"\n"
                + "    netns: \"" + options.edgeNamespace() + "\"\n"
                + "    network: " + options.network() + "\n"
                + "    private-key-file: \"" + privateKey + "\"\n"
                + "    listen-port: " + options.wireguardPort() + "\n";
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    public Options options() {
        return options;
    }

    public String registryUrl() {
        return registry.url();
    }

    public String ipamUrl() {
        return ipam.url();
    }

    public String agentUrl() {
        return agent.url();
    }

    public String trackerUrl() {
        return tracker.url();
    }

    public String firewallUrl() {
        return firewall.url();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return schemaRegistry.url();
    }

    public String postgresUrl() {
        return database.jdbcUrl("registry").replace("/registry", "/");
    }

    public String edgePublicKey() {
        return edgePublicKey;
    }

    public Netns edgeNamespace() {
        return edge;
    }

    public Netns lanNamespace() {
        return lan;
    }

    public String interfaceName() {
        return options.interfaceName();
    }

    /** Stops everything, last started first. Safe to call twice. */
    @Override
    public synchronized void close() {
        // Services first and all at once (each may take seconds to drain), then the parts they used.
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (AutoCloseable r : resources) {
            if (r instanceof ServiceProcess service) {
                stopping.add(CompletableFuture.runAsync(service::close));
            }
        }
        stopping.forEach(CompletableFuture::join);
        resources.removeIf(r -> r instanceof ServiceProcess);
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", resources.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        resources.clear();
        Cleanup.unregister(this);
    }
}
