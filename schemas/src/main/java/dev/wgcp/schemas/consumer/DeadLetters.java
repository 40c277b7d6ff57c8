package dev.wgcp.schemas.consumer;

import dev.wgcp.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be decoded to {@code <topic>.dlq}, byte for byte, with headers saying
 * where they came from and why they were refused, so nothing is lost and an operator can replay them.
 */
public class DeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String consumerName;
    private volatile java.util.function.Consumer<String> onSent = topic -> { };

    public DeadLetters(KafkaProducer<byte[], byte[]> producer, String consumerName) {
        this.producer = producer;
        this.consumerName = consumerName;
    }

    /** Calls {@code onSent} with the source topic of every record dead-lettered from now on (a metric). */
    public DeadLetters onSent(java.util.function.Consumer<String> onSent) {
        this.onSent = onSent;
        return this;
    }

    public String consumerName() {
        return consumerName;
    }

    /** Writes {@code record} to its dead-letter topic and waits for the broker's acknowledgement. */
    public void send(ConsumerRecord<String, byte[]> record, Exception reason) {
        send(record, reason.getMessage());
    }

    /** Writes {@code record} to its dead-letter topic with {@code reason} and waits for the broker's acknowledgement. */
    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        String dlq = Topics.deadLetter(record.topic());
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(dlq, null,
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value());
        record.headers().forEach(h -> out.headers().add(h));
        out.headers().add("wgcp.dlq.reason", bytes(reason));
        out.headers().add("wgcp.dlq.source", bytes(record.topic() + "/" + record.partition() + "@" + record.offset()));
        out.headers().add("wgcp.dlq.consumer", bytes(consumerName));
        try {
            producer.send(out).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            // Not acknowledged: the caller must not move past the record.
            throw new IllegalStateException("cannot write to " + dlq + ": " + e.getMessage(), e);
        }
        LOG.warn("dead-lettered {}/{}@{} (key {}) to {}: {}", record.topic(), record.partition(), record.offset(),
                record.key(), dlq, reason);
        onSent.accept(record.topic());
    }

    private static byte[] bytes(String s) {
        return String.valueOf(s).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
