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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events from the outbox to Kafka, oldest first, and deletes them once the broker has
 * acknowledged them. Woken at once when a transaction that wrote to the outbox commits, and polls
 * on a timer as well so that rows written by another instance, or left by a crash, still go out.
 * Delivery is at least once: a crash after the send and before the delete sends a row again, and
 * consumers skip it by its revision.
 */
@Context
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    private final OutboxRepository repository;
    private final TransactionOperations<Connection> tx;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Duration pollInterval;
    private final MeterRegistry meters;
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean running = true;
    private Thread thread;

    public OutboxRelay(OutboxRepository repository, TransactionOperations<Connection> tx,
                       KafkaProducer<String, SpecificRecord> producer,
                       @Value("${wgcp.outbox.poll-interval:500ms}") Duration pollInterval, MeterRegistry meters) {
        this.meters = meters;
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
                    sent = tx.executeWrite(status -> relayBatch());
                } while (sent == BATCH && running);
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
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    private int relayBatch() {
        List<OutboxMessage> rows = repository.lockOldest(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxMessage row : rows) {
            acks.add(producer.send(new ProducerRecord<>(row.topic(), row.messageKey(), decode(row))));
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
        repository.deleteByIdIn(rows.stream().map(OutboxMessage::id).toList());
        for (OutboxMessage row : rows) {
            Counter.builder("wgcp.events.published").tag("topic", row.topic())
                    .tag("type", row.eventType().substring(row.eventType().lastIndexOf('.') + 1))
                    .description("Events this service published (relayed from its outbox to Kafka), by topic and type").register(meters)
                    .increment();
        }
        LOG.debug("outbox relay: sent {} events", rows.size());
        return rows.size();
    }

    static SpecificRecord decode(OutboxMessage row) {
        try {
            Class<?> type = Class.forName(row.eventType());
            Schema schema = SpecificData.get().getSchema(type);
            return new SpecificDatumReader<SpecificRecord>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(row.payload(), null));
        } catch (ClassNotFoundException | IOException e) {
            throw new IllegalStateException("outbox row " + row.id() + " holds an event of type " + row.eventType()
                    + " that this build cannot read: " + e.getMessage(), e);
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
