package dev.wgcp.registry.service;

import dev.wgcp.registry.config.EdgeProperties;
import dev.wgcp.registry.config.NetworkProperties;
import dev.wgcp.registry.domain.Network;
import dev.wgcp.registry.domain.NetworkSpec;
import dev.wgcp.registry.domain.PublicKey;
import dev.wgcp.kit.domain.Refusal;
import dev.wgcp.registry.persistence.NetworkStore;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networks and edges this registry serves, kept in PostgreSQL and read from memory: every
 * request needs them, so the registry holds a snapshot, replaced after each change it makes and
 * refreshed every {@code wgcp.registry.network-refresh} (10 s) for changes made by other instances.
 * Networks and edges named in the configuration are inserted at start when absent (the devstack's
 * way of defining them); after that, the API owns them.
 */
@Singleton
public class Networks {

    private static final Logger LOG = LoggerFactory.getLogger(Networks.class);

    private final NetworkStore store;
    private final TransactionOperations<Connection> tx;
    private final List<NetworkProperties> configuredNetworks;
    private final List<EdgeProperties> configuredEdges;
    private final Clock clock = Clock.systemUTC();
    private final ConfigEvents events;
    private volatile Map<String, Network> byName;

    private final dev.wgcp.kit.persistence.StartupLock startupLock;

    public Networks(NetworkStore store, TransactionOperations<Connection> tx, List<NetworkProperties> networks,
                    List<EdgeProperties> edges, ConfigEvents events, dev.wgcp.kit.persistence.StartupLock startupLock) {
        this.startupLock = startupLock;
        this.store = store;
        this.tx = tx;
        this.events = events;
        this.configuredNetworks = networks;
        this.configuredEdges = edges;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        seed();
    }

    /** Inserts the configured networks and edges that the database does not have yet. */
    synchronized void seed() {
        tx.executeWrite(status -> {
            startupLock.hold("registry-config-seeding"); // instances starting together take turns
            Instant now = Instant.now(clock);
            for (NetworkProperties n : configuredNetworks) {
                if (!store.exists(n.getName())) {
                    Network network = fromConfig(n);
                    store.insert(network, now, "config");
                    events.network(network, true, "config");
                    LOG.info("network {} created from the configuration", n.getName());
                }
            }
            for (EdgeProperties e : configuredEdges) {
                if (store.edgeExists(e.getId()) && e.getSigningKey() != null && store.edgeSigningKey(e.getId()).isEmpty()) {
                    // An edge made before its agent signed its reports gets the key its configuration names, once.
                    store.setEdgeSigningKey(e.getId(), signingKey("wgcp.edges." + e.getId() + ".signing-key", e.getSigningKey()), now);
                    reload();
                    byName.values().stream().flatMap(n -> n.edges().stream()).filter(x -> x.id().equals(e.getId())).findFirst()
                            .ifPresent(x -> events.edge(x, networksOf(e.getId()), "config"));
                    LOG.info("edge {}: signing key set from the configuration", e.getId());
                }
                if (!store.edgeExists(e.getId())) {
                    List<String> served = new ArrayList<>();
                    for (String n : e.getNetworks()) {
                        if (!store.exists(n)) {
                            throw new IllegalStateException("wgcp.edges." + e.getId() + ".networks names network '" + n
                                    + "', which does not exist");
                        }
                        served.add(n);
                    }
                    Network.Edge edge = edgeFromConfig(e);
                    store.upsertEdge(edge, served, now);
                    events.edge(edge, served, "config");
                    LOG.info("edge {} created from the configuration, serving {}", e.getId(), served);
                }
            }
            return null;
        });
        reload();
    }

    private static Network fromConfig(NetworkProperties n) {
        try {
            return new Network(NetworkSpec.name("network name", n.getName()), NetworkSpec.routes(n.getRoutes()),
                    NetworkSpec.dns(n.getDns()), NetworkSpec.keepalive(n.getPersistentKeepalive()), List.of());
        } catch (Refusal e) {
            throw new IllegalStateException("wgcp.networks." + n.getName() + ": " + e.getMessage(), e);
        }
    }

    private static Network.Edge edgeFromConfig(EdgeProperties e) {
        if (e.getPublicKey() == null || e.getEndpoint() == null) {
            throw new IllegalStateException("wgcp.edges." + e.getId()
                    + " needs public-key and endpoint (host:port, a DNS name where the server's IP is dynamic)");
        }
        try {
            return new Network.Edge(NetworkSpec.name("edge id", e.getId()), PublicKey.parse(e.getPublicKey()).base64(),
                    NetworkSpec.endpoint(e.getEndpoint()), e.getSigningKey() == null ? null
                    : signingKey("wgcp.edges." + e.getId() + ".signing-key", e.getSigningKey()));
        } catch (Refusal ex) {
            throw new IllegalStateException("wgcp.edges." + e.getId() + ": " + ex.getMessage(), ex);
        }
    }

    @Scheduled(fixedDelay = "${wgcp.registry.network-refresh:10s}", initialDelay = "${wgcp.registry.network-refresh:10s}")
    void refresh() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("refreshing networks from the database failed, keeping the last snapshot: {}", e.getMessage());
        }
    }

    private void reload() {
        byName = Map.copyOf(tx.executeRead(status -> store.all()));
    }

    private Map<String, Network> snapshot() {
        Map<String, Network> s = byName;
        if (s == null) {
            seed();
            s = byName;
        }
        return s;
    }

    public Network get(String name) {
        Network network = snapshot().get(name);
        if (network == null) {
            throw Refusal.notFound("network '" + name + "' does not exist; known networks: "
                    + new java.util.TreeSet<>(snapshot().keySet()));
        }
        return network;
    }

    public List<Network> all() {
        return snapshot().values().stream().sorted(java.util.Comparator.comparing(Network::name)).toList();
    }

    /** A new network; its edges are added with {@link #putEdge}. */
    public Network create(String name, List<String> routes, List<String> dns, Integer keepalive, List<String> pools, String actor) {
        Network network = new Network(NetworkSpec.name("network name", name), NetworkSpec.routes(routes), NetworkSpec.dns(dns),
                NetworkSpec.keepalive(keepalive), List.of(), pools == null ? List.of() : List.copyOf(pools));
        tx.executeWrite(status -> {
            if (store.exists(name)) {
                throw Refusal.conflict("network '" + name + "' exists already");
            }
            store.insert(network, Instant.now(clock), actor);
            events.network(network, true, actor);
            return null;
        });
        LOG.info("network {} created by {}", name, actor);
        reload();
        return get(name);
    }

    /** Changes routes, DNS, default keepalive or pool names (null: unchanged). */
    public Network update(String name, List<String> routes, List<String> dns, Integer keepalive, List<String> pools, String actor) {
        Network current = get(name);
        Network changed = new Network(name, routes == null ? current.routes() : NetworkSpec.routes(routes),
                dns == null ? current.dns() : NetworkSpec.dns(dns),
                keepalive == null ? current.persistentKeepalive() : NetworkSpec.keepalive(keepalive), current.edges(),
                pools == null ? current.pools() : List.copyOf(pools));
        tx.executeWrite(status -> {
            store.update(changed);
            events.network(changed, false, actor);
            return null;
        });
        LOG.info("network {} updated by {}", name, actor);
        reload();
        return get(name);
    }

    /** The networks edge {@code id} serves, from the snapshot. */
    private List<String> networksOf(String id) {
        return byName.values().stream().filter(n -> n.edges().stream().anyMatch(x -> x.id().equals(id))).map(Network::name).toList();
    }

    /** A signing public key as given, checked: 32 bytes in base64 (what {@code wgcp keys public} prints). */
    static String signingKey(String field, String key) {
        try {
            return dev.wgcp.schemas.signing.VerifyKey.parse(key).toBase64();
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid(field + ": " + e.getMessage());
        }
    }

    /**
     * Creates or replaces an edge: its public key, its public endpoint, the networks it serves and
     * the key its agent signs reports with (null: keeps the one stored).
     */
    public Network.Edge putEdge(String id, String publicKey, String endpoint, List<String> networks, String signingKey, String actor) {
        String keeps = signingKey != null ? signingKey("signingKey", signingKey) : tx.executeRead(status -> store.edgeSigningKey(id)).orElse(null);
        Network.Edge edge = new Network.Edge(NetworkSpec.name("edge id", id), PublicKey.parse(publicKey).base64(),
                NetworkSpec.endpoint(endpoint), keeps);
        List<String> served = networks == null ? List.of() : List.copyOf(networks);
        for (String n : served) {
            get(n);
        }
        tx.executeWrite(status -> {
            store.upsertEdge(edge, served, Instant.now(clock));
            events.edge(edge, served, actor);
            return null;
        });
        LOG.info("edge {} ({}) serving {} set by {}", id, endpoint, served, actor);
        reload();
        return edge;
    }
}
