package dev.wgcp.edge.messaging;

import dev.wgcp.edge.config.AgentSettings;
import dev.wgcp.edge.domain.PublicAddresses;
import dev.wgcp.events.v1.EdgeAddressObserved;
import dev.wgcp.schemas.EventMetadataFactory;
import dev.wgcp.schemas.Producers;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server's own public addresses (an interface's global addresses, or an operator's
 * command) and reports them as EdgeAddressObserved at start and whenever they change, so that
 * endpoint-tracker keeps the edge's DNS name on a dynamic IP. Off unless
 * {@code wgcp.agent.public-address-interface} or {@code -command} is set.
 */
@Context
public class PublicAddressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(PublicAddressReporter.class);

    private final AgentSettings settings;
    private final dev.wgcp.schemas.kafka.KafkaConnection kafka;
    private final dev.wgcp.schemas.signing.SigningKey signer;
    private final String registryUrl;
    private final EventMetadataFactory metadata;
    private KafkaProducer<String, SpecificRecord> producer;
    private ScheduledExecutorService timer;
    private List<String> reported;
    private long revision;

    public PublicAddressReporter(AgentSettings settings,
                                 dev.wgcp.schemas.kafka.KafkaConnection kafka, dev.wgcp.schemas.signing.SigningKey signer,
                                 @Value("${wgcp.kafka.schema-registry-url:`http://127.0.0.1:8081`}") String registryUrl) {
        this.settings = settings;
        this.kafka = kafka;
        this.signer = signer;
        this.registryUrl = registryUrl;
        this.metadata = new EventMetadataFactory("edge-agent:" + settings.getEdgeId(), Clock.systemUTC());
    }

    private boolean enabled() {
        return !blank(settings.getPublicAddressInterface()) || !blank(settings.getPublicAddressCommand());
    }

    @PostConstruct
    void start() {
        if (!blank(settings.getPublicAddressInterface()) && !blank(settings.getPublicAddressCommand())) {
            throw new IllegalArgumentException("wgcp.agent.public-address-interface and wgcp.agent.public-address-command are both set:"
                    + " expected one of them (the interface when the server's public IP is on it, the command when it is behind NAT)");
        }
        if (!enabled()) {
            return;
        }
        producer = Producers.events(kafka, new SchemaRegistryClient(registryUrl), "edge-agent-" + settings.getEdgeId() + "-address", signer);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-public-address");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reportSafely, 0, settings.getPublicAddressInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reportSafely() {
        try {
            report();
        } catch (RuntimeException e) {
            LOG.warn("edge {}: cannot read its public address ({}), tried again in {}: {}", settings.getEdgeId(), source(),
                    settings.getPublicAddressInterval(), e.getMessage());
        }
    }

    private synchronized void report() {
        List<String> addresses = read();
        if (addresses.equals(reported)) {
            return;
        }
        EdgeAddressObserved event = EdgeAddressObserved.newBuilder()
                .setMetadata(metadata.create("edge-agent:" + settings.getEdgeId(), ++revision))
                .setEdgeId(settings.getEdgeId())
                .setAddresses(addresses)
                .setSource(source())
                .setObservedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        producer.send(new ProducerRecord<>(Topics.OBSERVATIONS.name(), settings.getEdgeId(), event), (md, e) -> {
            if (e != null) {
                LOG.warn("edge {}: public address report not delivered, sent again at the next read: {}", settings.getEdgeId(), e.getMessage());
                synchronized (this) {
                    reported = null;
                }
            }
        });
        LOG.info("edge {}: public addresses {} ({})", settings.getEdgeId(), addresses, source());
        reported = addresses;
    }

    private String source() {
        return blank(settings.getPublicAddressInterface()) ? "command" : "interface:" + settings.getPublicAddressInterface();
    }

    private List<String> read() {
        if (!blank(settings.getPublicAddressInterface())) {
            List<String> cmd = new ArrayList<>(nsPrefix());
            cmd.addAll(List.of("ip", "-o", "addr", "show", "dev", settings.getPublicAddressInterface(), "scope", "global"));
            return PublicAddresses.fromIpAddr(run(cmd, String.join(" ", cmd)));
        }
        // The command is never printed: it may carry a credential (a router's API token).
        return PublicAddresses.fromCommand(run(List.of("/bin/sh", "-c", settings.getPublicAddressCommand()),
                "wgcp.agent.public-address-command"));
    }

    private List<String> nsPrefix() {
        return blank(settings.getNetns()) ? List.of() : List.of("ip", "netns", "exec", settings.getNetns());
    }

    private static String run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " exited " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
