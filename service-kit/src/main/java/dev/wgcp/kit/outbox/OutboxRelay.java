package dev.wgcp.kit.outbox;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.TopicSpec;
import dev.wgcp.schemas.Topics;
import dev.wgcp.schemas.WireFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events from the outbox to Kafka, oldest first, and deletes them once the broker has
 * acknowledged them. A row is sent as it was written (wire format, writer's schema id), signed here;
 * only rows from before the outbox kept the schema id are decoded, with this build's classes, and one
 * this build cannot read is parked with the reason instead of blocking every event behind it. Woken
 * at once when a transaction that wrote to the outbox commits, and polls
 * on a timer as well so that rows written by another instance, or left by a crash, still go out.
 * One batch at a time across the service's instances (an advisory lock), so events leave in the order
 * they were written. Delivery is at least once: a crash after the send and before the delete sends a
 * row again, and consumers skip it by its revision.
 */
@Context
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    private final OutboxRepository repository;
    private final TransactionOperations<Connection> tx;
    private final KafkaProducer<String, byte[]> producer;
    private final SchemaRegistryClient registry;
    private final OutboxMetrics metrics;
    private long lastMeasured = System.nanoTime() - 2_000_000_000L;
    private final Duration pollInterval;
    private final MeterRegistry meters;
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean running = true;
    private Thread thread;

    public OutboxRelay(OutboxRepository repository, TransactionOperations<Connection> tx,
                       KafkaProducer<String, byte[]> producer, SchemaRegistryClient registry,
                       @Value("${wgcp.outbox.poll-interval:500ms}") Duration pollInterval, MeterRegistry meters) {
        this.meters = meters;
        this.registry = registry;
        this.metrics = new OutboxMetrics(meters);
        this.repository = repository;
        this.tx = tx;
        this.producer = producer;
        this.pollInterval = pollInterval;
    }

    @PostConstruct
    void start() {
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the relay to look at the outbox now. */
    public void wakeUp() {
        signal.release();
    }

    private void run() {
        long backoffMs = 100;
        while (running) {
            try {
                int sent;
                do {
                    sent = tx.executeWrite(status -> relayBatch(status.getConnection()));
                } while (sent == BATCH && running);
                measure();
                backoffMs = 100;
                signal.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("outbox relay: sending failed, the events stay in the outbox and are retried in {} ms: {}",
                        backoffMs, e.getMessage());
                measure();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /**
     * Sends the oldest waiting rows, at most {@link #BATCH}, and deletes them, while holding the
     * relay lock: one batch at a time across every instance of the service, so that a peer's events
     * reach the topic in the order they were written (two relays each taking the next unlocked rows
     * sent the second batch while the first was still going out, and a KeyRevoked overtook the
     * KeyRotated before it). The lock is a PostgreSQL advisory lock held until the transaction ends,
     * so a relay that dies gives it up with its connection. Without it this round sends nothing:
     * another instance is sending, and this one looks again on its next poll.
     */
    private int relayBatch(Connection connection) {
        if (!relayLock(connection)) {
            return 0;
        }
        List<OutboxMessage> rows = repository.lockOldest(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        List<OutboxMessage> sending = new ArrayList<>(rows.size());
        for (OutboxMessage row : rows) {
            byte[] value = value(row);
            if (value == null) {
                continue; // parked
            }
            sending.add(row);
            acks.add(producer.send(new ProducerRecord<>(row.topic(), row.messageKey(), value)));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Roll back: every row of the batch stays and is sent again (consumers skip duplicates by revision).
                throw new IllegalStateException("broker did not acknowledge an outbox event: " + e.getMessage(), e);
            }
        }
        if (!sending.isEmpty()) {
            repository.deleteByIdIn(sending.stream().map(OutboxMessage::id).toList());
        }
        for (OutboxMessage row : sending) {
            Counter.builder("wgcp.events.published").tag("topic", row.topic())
                    .tag("type", row.eventType().substring(row.eventType().lastIndexOf('.') + 1))
                    .description("Events this service published (relayed from its outbox to Kafka), by topic and type").register(meters)
                    .increment();
        }
        LOG.debug("outbox relay: sent {} events", sending.size());
        return rows.size();
    }

    /** Takes the relay lock of this service's outbox (the database and schema it is in) until the transaction ends, if free. */
    private static boolean relayLock(Connection connection) {
        try (java.sql.PreparedStatement q = connection.prepareStatement(
                "SELECT pg_try_advisory_xact_lock(hashtext('wgcp:outbox-relay:' || current_schema()))");
             java.sql.ResultSet rs = q.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot take the outbox relay lock: " + e.getMessage(), e);
        }
    }

    /**
     * The record value of {@code row}: as written when it has its writer's schema id; else (a row from
     * before the outbox kept it) decoded with this build's class and written with the topic's schema,
     * or null when this build cannot read it: then the row is parked with the reason.
     */
    private byte[] value(OutboxMessage row) {
        if (row.schemaId() != null) {
            return row.payload();
        }
        TopicSpec topic = Topics.byName(row.topic()).orElse(null);
        String problem;
        if (topic == null) {
            problem = "its topic " + row.topic() + " is not one this build knows";
        } else {
            try {
                SpecificRecord event = decodeLegacy(row);
                if (topic.carries(event.getSchema())) {
                    return WireFormat.encode(registry.register(topic.valueSubject(), topic.valueSchema()), topic.valueSchema(), event);
                }
                problem = event.getSchema().getFullName() + " does not belong on " + row.topic();
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        String reason = "written without its schema id by an older build, and this build cannot read it: " + problem
                + "; relay it with the build that wrote it, or delete the row";
        LOG.error("outbox relay: row {} ({} on {}) is parked, the rows behind it go on: {}", row.id(), row.eventType(), row.topic(), reason);
        repository.park(row.id(), reason);
        return null;
    }

    /** A row from before the outbox kept the writer's schema id: bare Avro of its class's schema, as that build had it. */
    static SpecificRecord decodeLegacy(OutboxMessage row) {
        try {
            Class<?> type = Class.forName(row.eventType());
            Schema schema = SpecificData.get().getSchema(type);
            org.apache.avro.io.BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(row.payload(), null);
            SpecificRecord event = new SpecificDatumReader<SpecificRecord>(schema).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IllegalArgumentException("bytes left after the " + row.eventType() + " this build reads (its schema changed)");
            }
            return event;
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no event class " + row.eventType() + " in this build");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("its bytes do not decode as this build's " + row.eventType() + " (" + e.getMessage() + ")");
        }
    }

    /** Updates the backlog gauges, at most once a second (a failure to read them leaves the last values; the relay's own errors say more). */
    private void measure() {
        long now = System.nanoTime();
        if (now - lastMeasured < 1_000_000_000L) {
            return;
        }
        lastMeasured = now;
        try {
            metrics.update(tx.executeRead(status -> repository.backlog()));
        } catch (RuntimeException e) {
            LOG.debug("outbox relay: cannot measure the backlog: {}", e.getMessage());
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        signal.release();
        if (thread != null) {
            thread.join(5_000);
        }
    }
}
