package dev.wgcp.infra;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What a broker answers one client, for tests that try who may do what. */
public final class KafkaProbe {

    private KafkaProbe() {
    }

    /**
     * Sends one record to {@code topic} with client settings {@code p}: null when the broker took it,
     * else the exception the send ended with. A refusal is what such tests wait for, so it comes in
     * seconds, not after the clients' default minute.
     */
    public static Throwable produce(Properties p, String topic) {
        Properties q = new Properties();
        q.putAll(p);
        q.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "8000");
        q.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "8000");
        q.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        q.put(ProducerConfig.RETRIES_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(q, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {0})).get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
