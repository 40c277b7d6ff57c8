package dev.wgcp.edge.config;

import dev.wgcp.edge.wireguard.WgCli;
import dev.wgcp.edge.wireguard.WgUapiClient;
import dev.wgcp.edge.wireguard.WireGuard;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.consumer.DeadLetters;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.List;

@Factory
public class AgentFactory {

    /**
     * A userspace interface (wireguard-go) is driven through its control socket, without a process
     * per change; a kernel interface through wireguard-tools.
     */
    @Singleton
    WireGuard wireGuard(AgentSettings settings) {
        java.nio.file.Path socketDir = java.nio.file.Path.of(settings.getSocketDir());
        if (java.nio.file.Files.exists(socketDir.resolve(settings.getInterfaceName() + ".sock"))) {
            return new WgUapiClient(settings.getInterfaceName(), socketDir);
        }
        List<String> prefix = settings.getNetns() == null || settings.getNetns().isBlank()
                ? List.of() : List.of("ip", "netns", "exec", settings.getNetns());
        return new WgCli(settings.getInterfaceName(), prefix);
    }

    /** The agent's own nft table, in the edge's namespace when it has one; absent with wgcp.agent.firewall-enabled=false. */
    @Singleton
    @io.micronaut.context.annotation.Requires(property = "wgcp.agent.firewall-enabled", notEquals = "false")
    dev.wgcp.edge.firewall.FirewallSync firewall(AgentSettings settings) {
        List<String> prefix = settings.getNetns() == null || settings.getNetns().isBlank()
                ? List.of() : List.of("ip", "netns", "exec", settings.getNetns());
        return new dev.wgcp.edge.firewall.FirewallSync(settings.getEdgeId(), new dev.wgcp.edge.firewall.NftCli(prefix),
                settings.getFirewallWait());
    }

    @Singleton
    EventDeserializer eventDeserializer(@Value("${wgcp.kafka.schema-registry-url:`http://127.0.0.1:8081`}") String url) {
        return new EventDeserializer(new SchemaRegistryClient(url));
    }

    @Singleton
    @Bean(preDestroy = "close")
    DeadLetters deadLetters(@Value("${wgcp.kafka.bootstrap-servers:`127.0.0.1:9092`}") String bootstrap, AgentSettings settings) {
        return Producers.deadLetters(bootstrap, "edge-agent-" + settings.getEdgeId());
    }
}
