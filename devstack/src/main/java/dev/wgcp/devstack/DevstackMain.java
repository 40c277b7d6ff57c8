package dev.wgcp.devstack;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./dev.sh run}: starts the devstack, prints where everything is, stops cleanly on Ctrl-C. */
@Command(name = "devstack", mixinStandardHelpOptions = true,
        description = "Runs wgcp on real parts on this machine: Kafka, PostgreSQL, schema registry, registry-service, "
                + "ipam-service, endpoint-tracker, firewall-sync and an edge agent on wireguard-go in a network namespace.")
public final class DevstackMain implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".devstack", description = "Where data, configs and logs live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--repo", defaultValue = ".", description = "The wgcp checkout whose service jars to run (default: ${DEFAULT-VALUE}).")
    Path repo;

    @Option(names = "--registry-port", defaultValue = "8080", description = "registry-service HTTP port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--schema-registry-port", defaultValue = "8081", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int schemaRegistryPort;

    @Option(names = "--postgres-port", defaultValue = "5433", description = "PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--replicas", defaultValue = "1", description = "Instances of each service (registry, ipam, endpoint-tracker,"
            + " firewall-sync): 1 or 2; the second listens 10 above the first (default: ${DEFAULT-VALUE}).")
    int replicas;

    public static void main(String[] args) {
        System.exit(Cli.execute("devstack", new DevstackMain(), args));
    }

    @Override
    public Integer call() throws Exception {
        Devstack.Options options = Devstack.Options.defaults(dataDir, repo)
                .withPorts(kafkaPort, postgresPort, schemaRegistryPort, registryPort).withReplicas(replicas);
        Devstack stack = Devstack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nwgcp devstack: stopping...");
            stack.close();
            System.out.println("wgcp devstack: stopped");
            stopped.countDown();
        }, "devstack-stop"));
        System.out.println();
        System.out.println("wgcp devstack is up. Ctrl-C stops everything.");
        System.out.printf("  registry-service  %s   (REST API: %s/v1/networks)%n", stack.registryUrl(), stack.registryUrl());
        System.out.printf("  admin API token   %s   (send it as 'Authorization: Bearer <token>')%n", stack.adminTokenFile());
        System.out.printf("  ipam-service      %s%n", stack.ipamUrl());
        System.out.printf("  edge-agent        %s   (status: %s/v1/status; its API token: %s)%n", stack.agentUrl(), stack.agentUrl(),
                stack.agentTokenFile(0));
        System.out.printf("  endpoint-tracker  %s   (GET %s/v1/peers/<id>, /v1/stale, /v1/churn, /v1/dns)%n", stack.trackerUrl(),
                stack.trackerUrl());
        System.out.printf("  DNS (BIND 9)      127.0.0.1:%d, zone %s kept by endpoint-tracker (dig @127.0.0.1 -p %d laptop.%s)%n",
                stack.dnsPort(), Devstack.DNS_ZONE, stack.dnsPort(), Devstack.DNS_ZONE);
        System.out.printf("  firewall-sync     %s   (GET %s/v1/edges/edge-0/ruleset, PUT /v1/networks/%s/policies/<name>)%n",
                stack.firewallUrl(), stack.firewallUrl(), options.network());
        System.out.printf("  Kafka broker      %s   (SASL_SSL, SCRAM-SHA-512, ACLs; CA %s)%n", stack.bootstrapServers(),
                stack.admin().trustedCertificates());
        System.out.printf("  Kafka audit user  %s   (wgcp audit --kafka-config, read-only)%n", stack.auditConfig());
        System.out.printf("  schema registry   %s%n", stack.schemaRegistryUrl());
        System.out.printf("  PostgreSQL        %s (user postgres)%n", stack.postgresUrl());
        System.out.printf("  edge interface    %s in namespace %s, tunnel %s/%d, endpoint %s, public key %s%n",
                stack.interfaceName(), options.edgeNamespace(), options.edgeTunnelAddress(), options.prefixLength(),
                options.edgeEndpoint(), stack.edgePublicKey());
        System.out.printf("  client namespace  %s (can reach the endpoint; try a returned config there)%n", options.lanNamespace());
        if (replicas > 1) {
            System.out.printf("  second instances  %s%n", stack.processNames().stream().filter(n -> n.endsWith("-2"))
                    .map(n -> n + " " + stack.process(n).url()).toList());
        }
        System.out.printf("  data and logs     %s%n", options.dataDir().toAbsolutePath());
        System.out.println();
        System.out.printf("Register a peer:%n  curl -s -X POST %s/v1/networks/%s/peers -H 'Content-Type: application/json' \\%n"
                + "    -H \"Authorization: Bearer $(cat %s)\" \\%n"
                + "    -d \"{\\\"publicKey\\\": \\\"$(wg genkey | wg pubkey)\\\", \\\"name\\\": \\\"laptop\\\"}\"%n",
                stack.registryUrl(), options.network(), stack.adminTokenFile());
        System.out.printf("See it on the edge:%n  wg show %s%n%n", stack.interfaceName());
        stopped.await();
        return 0;
    }
}
