package dev.wgcp.edge.config;

import dev.wgcp.edge.domain.DesiredState;
import dev.wgcp.edge.domain.InterfaceSpec;
import dev.wgcp.edge.messaging.AppliedPublisher;
import dev.wgcp.edge.messaging.EdgeInterface;
import dev.wgcp.edge.messaging.Interfaces;
import dev.wgcp.edge.messaging.Reconciler;
import dev.wgcp.edge.metrics.AgentMetrics;
import dev.wgcp.edge.wireguard.WgCli;
import dev.wgcp.edge.wireguard.WgUapiClient;
import dev.wgcp.edge.wireguard.WireGuard;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.kafka.KafkaAccess;
import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.signing.TrustedKeys;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.List;

@Factory
public class AgentFactory {

    /** The interfaces of {@code wgcp.agent.interfaces.*}, or the one of {@code wgcp.agent.interface-name} and its siblings. */
    @Singleton
    List<InterfaceSpec> interfaceSpecs(AgentSettings settings, List<InterfaceProperties> configured) {
        List<InterfaceSpec> specs = new java.util.ArrayList<>();
        for (InterfaceProperties p : configured) {
            if (p.getNetwork() == null || p.getNetwork().isBlank()) {
                throw new IllegalStateException("wgcp.agent.interfaces." + p.getName() + ".network is not set: expected the network whose"
                        + " peers this interface carries");
            }
            specs.add(new InterfaceSpec(p.getName(), p.getNetwork(), blank(p.getNetns()) ? settings.getNetns() : p.getNetns(),
                    p.getPrivateKeyFile(), p.getListenPort(), p.isExclusive()));
        }
        if (specs.isEmpty()) {
            if (blank(settings.getNetwork())) {
                throw new IllegalStateException("wgcp.agent.network is not set: expected the network whose peers this interface serves"
                        + " (or configure wgcp.agent.interfaces.<name>.network for each interface)");
            }
            specs.add(new InterfaceSpec(settings.getInterfaceName(), settings.getNetwork(), settings.getNetns(), settings.getPrivateKeyFile(),
                    settings.getListenPort(), settings.isExclusive()));
        }
        return specs;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Each interface with its desired state, its WireGuard access and its reconciler. A userspace
     * interface (wireguard-go) is driven through its control socket, without a process per change;
     * a kernel interface, or one that is not there yet, through wireguard-tools.
     */
    @Singleton
    Interfaces interfaces(AgentSettings settings, List<InterfaceSpec> specs, AppliedPublisher acks,
                          @io.micronaut.core.annotation.Nullable dev.wgcp.edge.firewall.FirewallSync firewall,
                          io.micrometer.core.instrument.MeterRegistry meters) {
        List<EdgeInterface> out = new java.util.ArrayList<>();
        java.nio.file.Path socketDir = java.nio.file.Path.of(settings.getSocketDir());
        for (InterfaceSpec spec : specs) {
            DesiredState desired = new DesiredState(spec.network(), settings.getEdgeId());
            WireGuard wg = java.nio.file.Files.exists(socketDir.resolve(spec.name() + ".sock"))
                    ? new WgUapiClient(spec.name(), socketDir) : new WgCli(spec.name(), spec.nsPrefix());
            AgentMetrics metrics = new AgentMetrics(meters, settings.getEdgeId(), spec.name(), desired);
            Reconciler reconciler = new Reconciler(desired, wg, spec, settings.getFirewallWait(), acks.forInterface(spec.name(), desired),
                    firewall, metrics, settings.removalGuard());
            out.add(new EdgeInterface(spec, desired, wg, reconciler, metrics));
        }
        return new Interfaces(out);
    }

    /** The agent's own nft table, in the edge's namespace when it has one; absent with wgcp.agent.firewall-enabled=false. */
    @Singleton
    @io.micronaut.context.annotation.Requires(property = "wgcp.agent.firewall-enabled", notEquals = "false")
    dev.wgcp.edge.firewall.FirewallSync firewall(AgentSettings settings, List<InterfaceSpec> specs, AppliedPublisher acks,
                                                 io.micrometer.core.instrument.MeterRegistry meters) {
        List<String> prefix = specs.get(0).nsPrefix();
        return new dev.wgcp.edge.firewall.FirewallSync(settings.getEdgeId(), new dev.wgcp.edge.firewall.NftCli(prefix),
                settings.getFirewallWait(), acks::ruleset, meters);
    }

    @Singleton
    EventDeserializer eventDeserializer(@Value("${wgcp.kafka.schema-registry-url:`http://127.0.0.1:8081`}") String url) {
        return new EventDeserializer(new SchemaRegistryClient(url));
    }

    /**
     * The agent's authenticated connection to the brokers, as its edge's own principal
     * ({@code edge.<edge-id>} unless {@code wgcp.kafka.username} says otherwise): it may read the
     * desired state and write only its acknowledgements and observations (docs/security.md).
     */
    @Singleton
    KafkaConnection kafkaConnection(AgentSettings settings,
                                    @Value("${wgcp.kafka.bootstrap-servers:`127.0.0.1:9092`}") String bootstrap,
                                    @Value("${wgcp.kafka.username:}") String username,
                                    @Value("${wgcp.kafka.password-file:}") String passwordFile,
                                    @Value("${wgcp.kafka.password:}") String password,
                                    @Value("${wgcp.kafka.truststore-file:}") String truststoreFile) {
        String user = blank(username) ? KafkaAccess.edge(settings.getEdgeId()) : username;
        return KafkaConnection.fromSettings(bootstrap, user, passwordFile, password, truststoreFile);
    }

    /**
     * Whose signatures the agent accepts on what it applies: peers signed by registry-service,
     * addresses by ipam-service, rulesets by firewall-sync, each with the public keys of
     * {@code wgcp.trust.<service>} (two during a rotation). Without them the agent does not start:
     * it would have nothing it may apply.
     */
    @Singleton
    TrustedKeys trustedKeys(io.micronaut.context.env.Environment env,
                            @io.micronaut.core.annotation.Nullable dev.wgcp.edge.firewall.FirewallSync firewall) {
        List<dev.wgcp.schemas.TopicSpec> applied = firewall == null ? List.of(Topics.PEERS, Topics.ADDRESSES)
                : List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS);
        return TrustedKeys.forOwners(applied, owner -> env.getProperty("wgcp.trust." + owner,
                io.micronaut.core.type.Argument.listOf(String.class)).orElse(List.of()));
    }

    /**
     * The key the agent signs its acknowledgements and observations with ({@code wgcp.agent.signing-key-file}):
     * consumers accept what an edge reports only under the signing key registered for that edge, so
     * another edge's credentials cannot speak for it. Required.
     */
    @Singleton
    dev.wgcp.schemas.signing.SigningKey edgeSigningKey(AgentSettings settings, @Value("${wgcp.agent.signing-key-file:}") String file) {
        if (blank(file)) {
            throw new IllegalStateException("wgcp.agent.signing-key-file is not set (env AGENT_SIGNING_KEY_FILE): an edge signs what it"
                    + " reports; make a key with 'wgcp keys generate --out FILE' and register its public key with the edge"
                    + " (PUT /v1/edges/" + settings.getEdgeId() + " with \"signingKey\", or wgcp networks edge --signing-key)");
        }
        return dev.wgcp.schemas.signing.SigningKey.fromFile(java.nio.file.Path.of(file.strip()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    DeadLetters deadLetters(KafkaConnection kafka, AgentSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
        DeadLetters deadLetters = Producers.deadLetters(kafka, "edge-agent-" + settings.getEdgeId());
        return deadLetters.onSent(topic -> dev.wgcp.metrics.SharedMeters.deadLetters(meters, deadLetters.consumerName(), topic).increment());
    }
}
