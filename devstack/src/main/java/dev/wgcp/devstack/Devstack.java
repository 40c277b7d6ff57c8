package dev.wgcp.devstack;

import dev.wgcp.infra.BindServer;
import dev.wgcp.infra.Cleanup;
import dev.wgcp.infra.EmbeddedDatabase;
import dev.wgcp.infra.EmbeddedKafka;
import dev.wgcp.schemas.kafka.KafkaTopics;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.infra.Netns;
import dev.wgcp.infra.Ports;
import dev.wgcp.infra.ServiceProcess;
import dev.wgcp.infra.Shell;
import dev.wgcp.infra.SigningKeys;
import dev.wgcp.infra.WgKeys;
import dev.wgcp.infra.WireGuardGo;
import dev.wgcp.registry.schema.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole wgcp stack on one machine, on real parts: PostgreSQL, a KRaft Kafka broker and the schema
 * registry in this JVM; registry-service, ipam-service, endpoint-tracker, firewall-sync and one edge
 * agent per edge as their own JVMs; each edge's WireGuard interface (wireguard-go) in a network
 * namespace of its own. The first edge is joined by a veth pair to a "lan" namespace from which a
 * client can dial in. The machine's own network is not touched.
 */
public final class Devstack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Devstack.class);

    /**
     * @param name        distinguishes namespaces and interfaces ("dev" for the main devstack, random in tests)
     * @param agentPort   HTTP port of the first edge's agent (further agents take free ports)
     * @param edges       how many edges (WireGuard servers, each with its agent) serve the network
     * @param transitNet  first three octets of the /24 joining the first edge and the lan namespace (edge .1, lan .2)
     */
    public record Options(Path dataDir, Path repoRoot, String name, int kafkaPort, int postgresPort,
                          int schemaRegistryPort, int registryPort, int ipamPort, int agentPort, int trackerPort,
                          int firewallPort, int wireguardPort, int edges, String network, String tunnelCidr,
                          String edgeTunnelAddress, String transitNet, int replicas) {

        public static Options defaults(Path dataDir, Path repoRoot) {
            return new Options(dataDir, repoRoot, "dev", 9092, 5433, 8081, 8080, 8082, 8083, 8084, 8085, 51820, 1,
                    "home", "10.100.0.0/24", "10.100.0.1", "192.0.2", 1);
        }

        /** Free ports and unique names, so tests never collide with each other or a running devstack. */
        public static Options forTest(Path dataDir, Path repoRoot) {
            return new Options(dataDir, repoRoot, Netns.uniqueSuffix(), 0, 0, 0, Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), 51820, 1, "home", "10.100.0.0/24", "10.100.0.1", "192.0.2", 1);
        }

        /** These fixed ports for the parts a user talks to directly. */
        public Options withPorts(int kafka, int postgres, int schemaRegistry, int registry) {
            return new Options(dataDir, repoRoot, name, kafka, postgres, schemaRegistry, registry, ipamPort,
                    agentPort, trackerPort, firewallPort, wireguardPort, edges, network, tunnelCidr, edgeTunnelAddress, transitNet, replicas);
        }

        public Options withEdges(int count) {
            return new Options(dataDir, repoRoot, name, kafkaPort, postgresPort, schemaRegistryPort, registryPort, ipamPort,
                    agentPort, trackerPort, firewallPort, wireguardPort, count, network, tunnelCidr, edgeTunnelAddress, transitNet, replicas);
        }

        /** How many instances of each service (registry, ipam, tracker, firewall-sync) run: 1 or 2. */
        public Options withReplicas(int count) {
            return new Options(dataDir, repoRoot, name, kafkaPort, postgresPort, schemaRegistryPort, registryPort, ipamPort,
                    agentPort, trackerPort, firewallPort, wireguardPort, edges, network, tunnelCidr, edgeTunnelAddress, transitNet, count);
        }

        /**
         * The HTTP port of instance {@code i} (from 0) of a service whose first instance has {@code first}:
         * with fixed ports (the devstack) 10 above the one before, in tests a free one.
         */
        int instancePort(int first, int i) {
            return i == 0 ? first : kafkaPort == 0 ? Ports.free() : first + 10 * i;
        }

        public Options withTunnelCidr(String cidr, String edgeAddress) {
            return new Options(dataDir, repoRoot, name, kafkaPort, postgresPort, schemaRegistryPort, registryPort, ipamPort,
                    agentPort, trackerPort, firewallPort, wireguardPort, edges, network, cidr, edgeAddress, transitNet, replicas);
        }

        String edgeNamespace(int i) {
            return i == 0 ? "wgcp-" + name + "-edge" : "wgcp-" + name + "-e" + i;
        }

        String lanNamespace() {
            return "wgcp-" + name + "-lan";
        }

        String interfaceName(int i) {
            return i == 0 ? "wgcp-" + name : "wgcp-" + name + "-" + i;
        }

        public String edgeNamespace() {
            return edgeNamespace(0);
        }

        public String interfaceName() {
            return interfaceName(0);
        }

        public String edgeEndpoint() {
            return transitNet + ".1:" + wireguardPort;
        }

        int prefixLength() {
            return Integer.parseInt(tunnelCidr.substring(tunnelCidr.indexOf('/') + 1));
        }
    }

    /** One WireGuard server of the stack: its namespace, interface, key and agent. */
    public static final class Edge {
        private final String id;
        private final Netns namespace;
        private final String interfaceName;
        private final String publicKey;
        private final Path privateKey;
        private ServiceProcess agent;
        private WireGuardGo wireGuard;

        Edge(String id, Netns namespace, String interfaceName, String publicKey, Path privateKey) {
            this.id = id;
            this.namespace = namespace;
            this.interfaceName = interfaceName;
            this.publicKey = publicKey;
            this.privateKey = privateKey;
        }

        public String id() {
            return id;
        }

        public Netns namespace() {
            return namespace;
        }

        public String interfaceName() {
            return interfaceName;
        }

        public String publicKey() {
            return publicKey;
        }

        public String agentUrl() {
            return agent.url();
        }
    }

    private final Options options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Path config;
    private Path logs;
    private final List<Edge> edges = new ArrayList<>();
    private EmbeddedKafka kafka;
    private EmbeddedDatabase database;
    private SchemaRegistryServer schemaRegistry;
    private Netns lan;
    private ServiceProcess registry;
    private ServiceProcess ipam;
    private ServiceProcess tracker;
    /** Every service and agent process by its name ("registry-service", "registry-service-2", "edge-agent-1", …), and how to start it again. */
    private final Map<String, ServiceProcess> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Launch> launches = new java.util.concurrent.ConcurrentHashMap<>();

    /** Processes killed on purpose ({@link #kill}) and not started again yet: the supervisor leaves them down. */
    private final java.util.Set<String> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private Thread supervisor;

    /** How a service process is started: its module's jar, configuration, log and port. */
    private record Launch(String name, String module, Path config, Path log, int port) {
    }
    private BindServer dns;
    private ServiceProcess firewall;
    private Path auditConfig;
    private SigningKeys signing;

    private Devstack(Options options) {
        this.options = options;
    }

    public static Devstack start(Options options) {
        if (options.edges() < 1) {
            throw new IllegalArgumentException("a devstack needs at least one edge, got " + options.edges());
        }
        if (options.replicas() < 1 || options.replicas() > 2) {
            throw new IllegalArgumentException("--replicas must be 1 or 2 (instances of each service), got " + options.replicas());
        }
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
        checkPortsFree();
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
        // Reads are open; registering schemas and changing compatibility take a service's (or the super user's) Kafka credentials.
        schemaRegistry = track(SchemaRegistryServer.start("127.0.0.1", options.schemaRegistryPort(), data.resolve("schema-registry"),
                kafka::acceptsSchemaWriter));
        KafkaTopics.createAll(kafka.admin(), 3);
        KafkaTopics.registerSchemas(kafka.admin().schemaRegistry(schemaRegistry.url()));
        database = track(db.join());
        String registryDb = database.createDatabase("registry");
        String ipamDb = database.createDatabase("ipam");
        String trackerDb = database.createDatabase("endpoints");
        String firewallDb = database.createDatabase("firewall");

        startNetwork(data);
        dns = track(BindServer.start(data.resolve("dns"), DNS_ZONE, "wgcp-ddns", Ports.isFree(DNS_PORT) ? DNS_PORT : Ports.free()));

        // One principal per service and per edge, each with exactly its ACLs; passwords in .devstack/kafka/credentials (0600).
        List<String> principals = new ArrayList<>(KafkaAccess.services());
        principals.add(KafkaAccess.AUDIT);
        edges.forEach(e -> principals.add(KafkaAccess.edge(e.id())));
        kafka.grant(principals);
        auditConfig = kafka.clientConfigFile(KafkaAccess.AUDIT);
        // Each service signs what it publishes with its own key (.devstack/signing, 0600); the agents trust their public keys.
        signing = SigningKeys.inDirectory(data.resolve("signing"));

        config = data.resolve("config");
        if (!Files.isDirectory(config)) {
            Files.createDirectories(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        logs = data.resolve("logs");
        List<ServiceProcess> services = new ArrayList<>();
        for (int n = 0; n < options.replicas(); n++) {
            String suffix = n == 0 ? "" : "-" + (n + 1);
            int instance = n;
            Launch ipamLaunch = launch("ipam-service" + suffix, "ipam-service", "ipam" + suffix,
                    options.instancePort(options.ipamPort(), n), port -> ipamConfig(ipamDb, port, instance));
            services.add(start(ipamLaunch));
            Launch registryLaunch = launch("registry-service" + suffix, "registry-service", "registry" + suffix,
                    options.instancePort(options.registryPort(), n), port -> registryConfig(registryDb, port, instance));
            services.add(start(registryLaunch));
        }
        ipam = processes.get("ipam-service");
        registry = processes.get("registry-service");
        for (int i = 0; i < edges.size(); i++) {
            Edge edge = edges.get(i);
            String file = i == 0 ? "edge-agent" : "edge-agent-" + i;
            int port = i == 0 ? options.agentPort() : Ports.free();
            services.add(edge.agent = start(launch(file, "edge-agent", file, port, p -> agentConfig(edge, p))));
        }
        for (int n = 0; n < options.replicas(); n++) {
            String suffix = n == 0 ? "" : "-" + (n + 1);
            int instance = n;
            services.add(start(launch("endpoint-tracker" + suffix, "endpoint-tracker", "endpoint-tracker" + suffix,
                    options.instancePort(options.trackerPort(), n), port -> trackerConfig(trackerDb, port, instance))));
            services.add(start(launch("firewall-sync" + suffix, "firewall-sync", "firewall-sync" + suffix,
                    options.instancePort(options.firewallPort(), n), port -> firewallConfig(firewallDb, port, instance))));
        }
        tracker = processes.get("endpoint-tracker");
        firewall = processes.get("firewall-sync");
        for (ServiceProcess s : services) {
            s.awaitHealthy(Duration.ofSeconds(120));
            LOG.info("{} is up at {} (log: {})", s.name(), s.url(), s.log());
        }
        supervisor = new Thread(this::supervise, "devstack-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /**
     * What systemd's Restart=always, compose's restart policy or Kubernetes do for a service: one that
     * exits (a start while PostgreSQL was down fails and ends the process) is started again, a second later.
     */
    private void supervise() {
        while (!closing) {
            try {
                Thread.sleep(1000);
                for (String name : processNames()) {
                    ServiceProcess p = processes.get(name);
                    synchronized (this) {
                        if (!closing && p != null && !p.isAlive() && !killed.contains(name) && processes.get(name) == p) {
                            LOG.warn("{} exited; starting it again, as its supervisor would (its log: {})", name, p.log());
                            restart(name);
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("devstack supervisor: {}", e.getMessage());
            }
        }
    }

    /** A service's configuration, written 0600, and how to start it. */
    private Launch launch(String name, String module, String file, int port, ConfigText text) throws IOException {
        Path path = config.resolve(file + ".yml");
        writePrivate(path, text.at(port));
        Launch l = new Launch(name, module, path, logs.resolve(file + ".log"), port);
        launches.put(name, l);
        return l;
    }

    @FunctionalInterface
    private interface ConfigText {
        String at(int port) throws IOException;
    }

    private ServiceProcess start(Launch l) throws IOException {
        ServiceProcess p = track(ServiceProcess.start(l.name(), jar(l.module()), l.config(), l.log(), l.port()));
        processes.put(l.name(), p);
        return p;
    }

    /** The names of the running service and agent processes ("registry-service", "registry-service-2", "edge-agent", …). */
    public List<String> processNames() {
        return processes.keySet().stream().sorted().toList();
    }

    /** The process called {@code name}, as {@link #processNames} names it. */
    public ServiceProcess process(String name) {
        ServiceProcess p = processes.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no process " + name + " in this devstack; expected one of " + processNames());
        }
        return p;
    }

    /** Kills {@code name} with SIGKILL: no shutdown hook, no goodbye to its consumer groups or database. */
    public synchronized void kill(String name) {
        killed.add(name);
        process(name).kill();
    }

    /** Starts {@code name} again with its configuration (after {@link #kill}); returns at once. */
    public synchronized ServiceProcess restart(String name) throws IOException {
        Launch l = launches.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no process " + name + " in this devstack; expected one of " + processNames());
        }
        killed.remove(name);
        ServiceProcess p = start(l);
        edges.stream().filter(e -> e.agent != null && e.agent.name().equals(name)).forEach(e -> e.agent = p);
        if (name.equals("registry-service")) {
            registry = p;
        } else if (name.equals("ipam-service")) {
            ipam = p;
        } else if (name.equals("endpoint-tracker")) {
            tracker = p;
        } else if (name.equals("firewall-sync")) {
            firewall = p;
        }
        return p;
    }

    /** The registry-service instances' URLs, first first. */
    public List<String> registryUrls() {
        return processNames().stream().filter(n -> n.startsWith("registry-service")).map(n -> processes.get(n).url()).toList();
    }

    /** Fails before anything starts when a fixed port is taken, instead of a service dying with a bind error. */
    private void checkPortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (--kafka-port)", options.kafkaPort());
        ports.put("PostgreSQL (--postgres-port)", options.postgresPort());
        ports.put("the schema registry (--schema-registry-port)", options.schemaRegistryPort());
        ports.put("registry-service (--registry-port)", options.registryPort());
        ports.put("ipam-service", options.ipamPort());
        ports.put("the edge agent", options.agentPort());
        ports.put("endpoint-tracker", options.trackerPort());
        ports.put("firewall-sync", options.firewallPort());
        if (options.kafkaPort() != 0) {
            for (int n = 1; n < options.replicas(); n++) {
                ports.put("registry-service " + (n + 1), options.instancePort(options.registryPort(), n));
                ports.put("ipam-service " + (n + 1), options.instancePort(options.ipamPort(), n));
                ports.put("endpoint-tracker " + (n + 1), options.instancePort(options.trackerPort(), n));
                ports.put("firewall-sync " + (n + 1), options.instancePort(options.firewallPort(), n));
            }
        }
        ports.forEach((what, port) -> {
            if (port != 0 && !Ports.isFree(port)) {
                throw new IllegalStateException("port " + port + " on 127.0.0.1, wanted by " + what
                        + ", is in use: stop what uses it (is a devstack already running?) or choose another port");
            }
        });
    }

    private void startNetwork(Path data) throws IOException {
        removeStale(options.lanNamespace());
        for (int i = 0; i < options.edges(); i++) {
            removeStale(options.edgeNamespace(i));
            Files.deleteIfExists(WireGuardGo.SOCKET_DIR.resolve(options.interfaceName(i) + ".sock"));
        }
        lan = track(Netns.create(options.lanNamespace()));
        for (int i = 0; i < options.edges(); i++) {
            String ifName = options.interfaceName(i);
            Netns ns = track(Netns.create(options.edgeNamespace(i)));
            if (i == 0) {
                String veth = options.name().length() <= 9 ? options.name() : options.name().substring(0, 9);
                ns.link("wge-" + veth, options.transitNet() + ".1/24", lan, "wgl-" + veth, options.transitNet() + ".2/24");
            }
            // The edge routes between its peers (and to networks behind it) where firewall policies allow it.
            ns.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
            WireGuardGo wireGuard = startInterface(ns, ifName);

            // An edge keeps its key across restarts, so client configs handed out earlier stay valid.
            Path keyDir = data.resolve(i == 0 ? "edge" : "edge-" + i);
            Files.createDirectories(keyDir);
            Path key = keyDir.resolve("private.key");
            if (!Files.exists(key)) {
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(key, WgKeys.generatePrivateKey() + "\n");
            }
            Edge edge = new Edge("edge-" + i, ns, ifName, WgKeys.publicKey(Files.readString(key).strip()), key);
            edge.wireGuard = wireGuard;
            edges.add(edge);
        }
    }

    /** wireguard-go for {@code ifName} in {@code ns}, with the edge's tunnel address, up: what the edge's system sets up. */
    private WireGuardGo startInterface(Netns ns, String ifName) {
        WireGuardGo wireGuard = ns.startWireGuard(ifName);
        ns.exec("ip", "addr", "add", options.edgeTunnelAddress() + "/" + options.prefixLength(), "dev", ifName);
        ns.exec("ip", "link", "set", ifName, "up");
        return wireGuard;
    }

    /** Kills edge {@code i}'s wireguard-go with SIGKILL: its interface goes, with its key and peers. */
    public synchronized void killWireGuard(int i) {
        edges.get(i).wireGuard.kill();
    }

    /**
     * Starts edge {@code i}'s wireguard-go again, with its address and up, as the edge's supervisor would
     * (after {@link #killWireGuard}); the agent puts key, port and peers back.
     */
    public synchronized void restartWireGuard(int i) {
        Edge edge = edges.get(i);
        edge.wireGuard = startInterface(edge.namespace(), edge.interfaceName());
    }

    /** Kills PostgreSQL with SIGKILL (its backends too), as a crash of its machine would. */
    public synchronized void killDatabase() throws IOException {
        database.kill();
    }

    /** Starts PostgreSQL again on its port and data (after {@link #killDatabase}); it recovers from its log. */
    public synchronized void restartDatabase() throws IOException {
        database.restart();
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
        return ServiceProcess.jar(options.repoRoot(), module);
    }

    /** A service's configuration holds a database password: readable by its owner only. */
    private static void writePrivate(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, text);
    }

    /**
     * The broker as {@code principal}: its password's file (never the password) and the broker's CA;
     * a service's signing key, or for an agent the public keys it trusts.
     */
    private String kafkaYaml(String principal) {
        return kafkaYaml(principal, -1);
    }

    /** The same for instance {@code instance} (from 0) of a service: a static member of its consumer groups under that number. */
    private String kafkaYaml(String principal, int instance) {
        StringBuilder sb = new StringBuilder("  kafka:\n")
                .append("    bootstrap-servers: \"").append(kafka.bootstrapServers()).append("\"\n")
                .append("    schema-registry-url: \"").append(schemaRegistry.url()).append("\"\n")
                .append("    username: \"").append(principal).append("\"\n")
                .append("    password-file: \"").append(kafka.passwordFile(principal)).append("\"\n")
                .append("    truststore-file: \"").append(kafka.caCertificate()).append("\"\n");
        if (instance >= 0) {
            sb.append("    instance-id: \"").append(instance + 1).append("\"\n");
        }
        if (KafkaAccess.services().contains(principal)) {
            sb.append("  signing:\n    key-file: \"").append(signing.keyFile(principal)).append("\"\n");
        } else {
            sb.append("  trust:\n");
            signing.trustProperties().forEach((k, v) -> sb.append("    ").append(k.substring("wgcp.trust.".length())).append(": \"")
                    .append(v).append("\"\n"));
        }
        return sb.toString();
    }

    /** {@code wgcp.auth}: the registry that tells ipam, tracker and firewall who an API token belongs to. */
    private String authYaml() {
        return "  auth:\n    registry-url: \"http://127.0.0.1:" + options.registryPort() + "\"\n";
    }

    private String datasourceYaml(String url) {
        return "datasources:\n  default:\n"
                + "    url: \"" + url + "\"\n"
                + "    username: " + database.username() + "\n"
                + "    password: " + database.password() + "\n";
    }

    private String serverYaml(int port) {
        return "micronaut:\n  server:\n    port: " + port + "\n";
    }

    private String registryConfig(String url, int port, int instance) {
        StringBuilder sb = new StringBuilder(serverYaml(port))
                .append(datasourceYaml(url))
                .append("wgcp:\n").append(kafkaYaml(KafkaAccess.REGISTRY, instance))
                .append("  registry:\n")
                .append("    bootstrap-token-file: \"").append(adminTokenFile()).append("\"\n")
                .append("  networks:\n")
                .append("    ").append(options.network()).append(":\n")
                .append("      routes: [\"").append(options.tunnelCidr()).append("\"]\n")
                .append("      persistent-keepalive: 25\n")
                .append("  edges:\n");
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            // Only the first edge is reachable from the lan namespace; the others exist for fan-out.
            String endpoint = i == 0 ? options.edgeEndpoint() : "edge-" + i + ".invalid:" + options.wireguardPort();
            sb.append("    ").append(e.id()).append(":\n")
                    .append("      public-key: \"").append(e.publicKey()).append("\"\n")
                    .append("      signing-key: \"").append(signing.edgePublicKey(e.id())).append("\"\n")
                    .append("      endpoint: \"").append(endpoint).append("\"\n")
                    .append("      networks: [\"").append(options.network()).append("\"]\n");
        }
        return sb.toString();
    }

    private String ipamConfig(String url, int port, int instance) {
        return serverYaml(port)
                + datasourceYaml(url)
                + "wgcp:\n" + kafkaYaml(KafkaAccess.IPAM, instance)
                + authYaml()
                + "  pools:\n"
                + "    " + options.network() + "-v4:\n"
                + "      network: " + options.network() + "\n"
                + "      cidr: \"" + options.tunnelCidr() + "\"\n"
                + "      reserved: [\"" + options.edgeTunnelAddress() + "\"]\n";
    }

    private String trackerConfig(String url, int port, int instance) throws IOException {
        Path key = config.resolve("ddns.key");
        writePrivate(key, "key \"" + dns.keyName() + "\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + dns.secret() + "\";\n};\n");
        return serverYaml(port) + datasourceYaml(url) + "wgcp:\n" + kafkaYaml(KafkaAccess.TRACKER, instance)
                + authYaml()
                + "  tracker:\n"
                + "    ddns:\n"
                + "      zones:\n"
                + "        dev:\n"
                + "          zone: " + DNS_ZONE + "\n"
                + "          server: \"127.0.0.1:" + dns.port() + "\"\n"
                + "          tsig-key-name: " + dns.keyName() + "\n"
                + "          tsig-secret-file: \"" + key + "\"\n"
                + "          networks: [\"" + options.network() + "\"]\n";
    }

    /** The zone the devstack's DNS server (BIND 9 on loopback) serves and endpoint-tracker keeps current. */
    public static final String DNS_ZONE = "wgcp.test";

    /** The DNS server's port when it is free (else any free one). */
    public static final int DNS_PORT = 8053;

    /** The loopback port of the devstack's DNS server. */
    public int dnsPort() {
        return dns.port();
    }

    private String firewallConfig(String url, int port, int instance) {
        StringBuilder sb = new StringBuilder(serverYaml(port))
                .append(datasourceYaml(url))
                .append("wgcp:\n").append(kafkaYaml(KafkaAccess.FIREWALL, instance))
                .append(authYaml())
                .append("  firewall:\n")
                .append("    edges:\n");
        for (Edge e : edges) {
            sb.append("      ").append(e.id()).append(":\n")
                    .append("        network: ").append(options.network()).append("\n")
                    .append("        interface: \"").append(e.interfaceName()).append("\"\n");
        }
        return sb.toString();
    }

    private String agentConfig(Edge edge, int port) {
        return serverYaml(port)
                + "wgcp:\n" + kafkaYaml(KafkaAccess.edge(edge.id()))
                + "  agent:\n"
                + "    edge-id: " + edge.id() + "\n"
                + "    interface-name: \"" + edge.interfaceName() + "\"\n"
                + "    netns: \"" + edge.namespace().name() + "\"\n"
                + "    network: " + options.network() + "\n"
                + "    private-key-file: \"" + edge.privateKey + "\"\n"
                + "    signing-key-file: \"" + signing.edgeKeyFile(edge.id()) + "\"\n"
                + "    api-token-file: \"" + edge.privateKey.resolveSibling("agent.token") + "\"\n"
                + "    listen-port: " + options.wireguardPort() + "\n";
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    public Options options() {
        return options;
    }

    /** Stops edge {@code i}'s agent (its interface and peers stay as they are). */
    public synchronized void stopAgent(int i) {
        killed.add(edges.get(i).agent.name()); // stopped on purpose: not restarted by the supervisor
        edges.get(i).agent.close();
    }

    /** Starts edge {@code i}'s agent again with its configuration; returns at once (it then rebuilds from the topics). */
    public synchronized void startAgent(int i) throws IOException {
        restart(edges.get(i).agent.name());
    }

    public List<Edge> edges() {
        return List.copyOf(edges);
    }

    public String registryUrl() {
        return registry.url();
    }

    /** Where registry-service keeps the devstack's admin API token (written at its first start, mode 0600). */
    public Path adminTokenFile() {
        return options.dataDir().toAbsolutePath().resolve("admin.token");
    }

    /** The admin API token, for {@code Authorization: Bearer <token>}. */
    public String adminToken() {
        try {
            return Files.readString(adminTokenFile()).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the admin token " + adminTokenFile() + ": " + e.getMessage(), e);
        }
    }

    public String ipamUrl() {
        return ipam.url();
    }

    public String agentUrl() {
        return edges.get(0).agentUrl();
    }

    /** Where edge {@code i}'s agent keeps its API token (written at its first start, mode 0600). */
    public Path agentTokenFile(int i) {
        return edges.get(i).privateKey.resolveSibling("agent.token");
    }

    /** The first edge's agent token, for {@code Authorization: Bearer <token>}. */
    public String agentToken() {
        try {
            return Files.readString(agentTokenFile(0)).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent token " + agentTokenFile(0) + ": " + e.getMessage(), e);
        }
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

    /** The broker's super user (tests read the topics and forge records with it). */
    public KafkaConnection admin() {
        return kafka.admin();
    }

    /** A connection as {@code principal}, created with its ACLs first. */
    public KafkaConnection connection(String principal) {
        kafka.grant(List.of(principal));
        return kafka.connection(principal);
    }

    /** The read-only audit principal's Kafka client properties ({@code wgcp audit --kafka-config}), mode 0600. */
    public Path auditConfig() {
        return auditConfig;
    }

    public String schemaRegistryUrl() {
        return schemaRegistry.url();
    }

    public String postgresUrl() {
        return database.jdbcUrl("registry").replace("/registry", "/");
    }

    public String edgePublicKey() {
        return edges.get(0).publicKey();
    }

    public Netns edgeNamespace() {
        return edges.get(0).namespace();
    }

    public Netns lanNamespace() {
        return lan;
    }

    public String interfaceName() {
        return edges.get(0).interfaceName();
    }

    /** Stops everything, last started first. Safe to call twice. */
    @Override
    public synchronized void close() {
        closing = true;
        if (supervisor != null) {
            supervisor.interrupt();
        }
        // Services first and all at once (each may take seconds to drain), then the parts they used.
        // A thread each: the common pool has one thread on two cores, which stopped them one after another (15 s for ten).
        List<Thread> stopping = new ArrayList<>();
        for (AutoCloseable r : resources) {
            if (r instanceof ServiceProcess service) {
                Thread t = new Thread(service::close, "stop-" + service.name());
                t.start();
                stopping.add(t);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
