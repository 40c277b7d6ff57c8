package dev.wgcp.edge.messaging;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.domain.InterfaceSpec;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.consumer.DeadLetters;
import dev.wgcp.schemas.consumer.EventConsumerLoop;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the desired state from the peer and address topics at start (reading them from the
 * beginning, no consumer group), reconciles once when caught up, then follows: every batch of events
 * that changed the state is applied as one diff, and a timer resyncs to repair drift.
 */
@Context
public class EventFollower {

    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);

    private final AgentSettings settings;
    private final Interfaces interfaces;
    private final dev.wgcp.edge.firewall.FirewallSync firewall;
    private final EventConsumerLoop loop;
    private final AtomicBoolean caughtUp = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Whether the interface's key and port are set (when configured); tried again with every resync until they are. */
    private final java.util.Set<String> configured = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edge-resync");
        t.setDaemon(true);
        return t;
    });

    public EventFollower(AgentSettings settings, Interfaces interfaces,
                         EventDeserializer deserializer, DeadLetters deadLetters,
                         dev.wgcp.schemas.kafka.KafkaConnection kafka, dev.wgcp.schemas.signing.TrustedKeys trust,
                         io.micrometer.core.instrument.MeterRegistry meters,
                         @io.micronaut.core.annotation.Nullable dev.wgcp.edge.firewall.FirewallSync firewall) {
        this.settings = settings;
        this.interfaces = interfaces;
        this.firewall = firewall;
        List<dev.wgcp.schemas.TopicSpec> topics = firewall == null ? List.of(Topics.PEERS, Topics.ADDRESSES)
                : List.of(Topics.PEERS, Topics.ADDRESSES, Topics.RULESETS);
        registerRefusals(meters, settings.getEdgeId(), topics);
        this.loop = EventConsumerLoop.replay(kafka, "edge-agent-" + settings.getEdgeId(),
                topics, deserializer, this::apply, deadLetters,
                new EventConsumerLoop.Listener() {
                    @Override
                    public void batchHandled(int records) {
                        if (caughtUp.get() && dirty.getAndSet(false)) {
                            safeReconcile("events", false);
                        }
                    }

                    @Override
                    public void refused(String topic, String reason, String message, boolean replayed) {
                        // Live refusals are what an alert is for; refusals of history at a restart were live once, on every agent then running.
                        refusedCounter(meters, settings.getEdgeId(), topic, reason, replayed ? "replay" : "live").increment();
                        if (replayed) {
                            LOG.warn("refused a record of the history of {} again ({}): {}", topic, reason, message);
                        } else {
                            LOG.error("refused a record on {} ({}): {}; it was dead-lettered and changed nothing", topic, reason, message);
                        }
                    }

                    @Override
                    public void caughtUp() {
                        caughtUp.set(true);
                        dirty.set(false);
                        for (EdgeInterface i : interfaces.all()) {
                            LOG.info("{}: desired state rebuilt from the topics: {} peers", i.spec().name(), i.desired().peers().size());
                        }
                        safeReconcile("start", true);
                    }
                }, trust, dev.wgcp.edge.domain.RecordChecks::problem);
        io.micrometer.core.instrument.Gauge.builder("wgcp.agent.following", this, f -> f.state() == EventConsumerLoop.State.FOLLOWING ? 1 : 0)
                .tag("edge", settings.getEdgeId())
                .description("1 while the agent follows its topics; 0 while it rebuilds its desired state (or waits for the brokers)"
                        + " and after its consumer stopped").register(meters);
    }

    /** Live refusals start at 0 for every topic and reason, so that the first one is an increase an alert sees. */
    private static void registerRefusals(io.micrometer.core.instrument.MeterRegistry meters, String edgeId, List<dev.wgcp.schemas.TopicSpec> topics) {
        for (dev.wgcp.schemas.TopicSpec t : topics) {
            for (dev.wgcp.schemas.signing.TrustedKeys.Reason r : dev.wgcp.schemas.signing.TrustedKeys.Reason.values()) {
                refusedCounter(meters, edgeId, t.name(), r.label(), "live");
            }
            refusedCounter(meters, edgeId, t.name(), "invalid", "live");
        }
    }

    private static io.micrometer.core.instrument.Counter refusedCounter(io.micrometer.core.instrument.MeterRegistry meters, String edgeId,
                                                                       String topic, String reason, String when) {
        return io.micrometer.core.instrument.Counter.builder("wgcp.agent.records.refused")
                .description("records the agent did not apply: unsigned, signed by an untrusted key, badly signed, or invalid")
                .tags("edge", edgeId, "topic", topic, "reason", reason, "when", when).register(meters);
    }

    private void apply(SpecificRecord event, org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        if (event instanceof dev.wgcp.events.v1.FirewallRulesetChanged ruleset) {
            if (firewall != null && firewall.offer(ruleset)) {
                dirty.set(true);
            }
        } else {
            for (EdgeInterface i : interfaces.all()) {
                if (i.desired().apply(event)) {
                    dirty.set(true);
                }
            }
        }
    }

    private void safeReconcile(String trigger, boolean full) {
        for (EdgeInterface i : interfaces.all()) {
            try {
                i.reconciler().reconcile(trigger, full);
            } catch (RuntimeException e) {
                // The next batch or the resync timer tries again; the desired state is intact.
                dirty.set(true);
                LOG.error("{}: reconcile ({}) failed: {}", i.spec().name(), trigger, e.getMessage());
            }
        }
    }

    @PostConstruct
    void start() {
        interfaces.all().forEach(i -> i.metrics().consumerLag(loop::lag));
        configureInterfaces();
        loop.start();
        long every = settings.getResyncInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            configureInterfaces();
            if (caughtUp.get()) {
                safeReconcile("resync", true);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        // New peers waiting for a ruleset that lets them in: look again often, not only on events.
        timer.scheduleWithFixedDelay(() -> {
            if (caughtUp.get() && interfaces.all().stream().anyMatch(i -> i.reconciler().hasDeferred())) {
                safeReconcile("firewall-wait", false);
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * The interface lost every peer at once (a restarted wireguard-go has neither key nor peers): it is
     * configured again (key, port) and filled by a full pass at once, instead of at the next resync.
     */
    public void interfaceEmptied(EdgeInterface i) {
        if (!caughtUp.get()) {
            return; // the start's full pass comes
        }
        LOG.warn("{}: the interface lost all its peers (wireguard-go restarted?); configuring it and putting them back", i.spec().name());
        configured.remove(i.spec().name());
        try {
            timer.execute(() -> {
                configureInterfaces();
                safeReconcile("interface-reset", true);
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down
        }
    }

    /** Configures the interfaces not configured yet. */
    private void configureInterfaces() {
        for (EdgeInterface i : interfaces.all()) {
            if (!configured.contains(i.spec().name()) && tryConfigureInterface(i.spec())) {
                configured.add(i.spec().name());
            }
        }
    }

    /**
     * Configures an interface, or says why it cannot and that it will try again with every resync:
     * an interface that is not there yet (or a missing {@code wg}) must not stop the agent, which
     * keeps following the events and applies them once the interface works.
     */
    private boolean tryConfigureInterface(InterfaceSpec spec) {
        try {
            configureInterface(spec);
            return true;
        } catch (IllegalStateException e) {
            LOG.error("{}: {}; trying again every {} (create the interface: 'ip link add {} type wireguard' or 'wireguard-go {}')",
                    spec.name(), e.getMessage(), settings.getResyncInterval(), spec.name(), spec.name());
            return false;
        }
    }

    /** Sets the interface's private key and listen port when configured (the key never on a command line). */
    private void configureInterface(InterfaceSpec spec) {
        if (spec.privateKeyFile() == null || spec.privateKeyFile().isBlank()) {
            return;
        }
        List<String> cmd = new ArrayList<>(spec.nsPrefix());
        cmd.addAll(List.of("wg", "set", spec.name(), "private-key", spec.privateKeyFile()));
        if (spec.listenPort() > 0) {
            cmd.addAll(List.of("listen-port", String.valueOf(spec.listenPort())));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("cannot configure " + spec.name() + ": " + out.strip());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run wg (" + e.getMessage() + "): install wireguard-tools", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LOG.info("{}: private key set from {}{}", spec.name(), spec.privateKeyFile(),
                spec.listenPort() > 0 ? ", listening on port " + spec.listenPort() : "");
    }

    public boolean isCaughtUp() {
        return caughtUp.get();
    }

    public String name() {
        return loop.name();
    }

    /** Catching up until the desired state is rebuilt and the first pass ran; stopped after a fatal error. */
    public EventConsumerLoop.State state() {
        EventConsumerLoop.State state = loop.state();
        return state == EventConsumerLoop.State.FOLLOWING && !caughtUp.get() ? EventConsumerLoop.State.CATCHING_UP : state;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        loop.close();
    }

}
