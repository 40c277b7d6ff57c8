package dev.wgcp.kit.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgcp.schemas.kafka.KafkaConnection;
import dev.wgcp.schemas.EventDeserializer;
import dev.wgcp.schemas.SchemaRegistryClient;
import dev.wgcp.schemas.Topics;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class ConsumersHealthIndicatorTest {

    static final class Idle extends GroupConsumer {
        Idle() {
            super(settings(), dev.wgcp.schemas.consumer.GroupMembership.DEFAULT, new EventDeserializer(new SchemaRegistryClient("http://127.0.0.1:1")), null, null,
                    "health-test", List.of(Topics.PEERS));
        }

        @Override
        protected void handle(SpecificRecord event, ConsumerRecord<String, byte[]> record) {
        }

        private static KafkaConnection settings() {
            return KafkaConnection.scram("127.0.0.1:1", "health-test", "unused", null);
        }
    }

    @Test
    void downWhenAListenerDoesNotFollowItsTopics() {
        HealthResult result = Mono.from(new ConsumersHealthIndicator(List.of(new Idle())).getResult()).block();
        assertEquals(HealthStatus.DOWN, result.getStatus());
        assertEquals(Map.of("health-test", "stopped"), result.getDetails());
    }

    @Test
    void upWithoutListeners() {
        assertEquals(HealthStatus.UP, Mono.from(new ConsumersHealthIndicator(List.of()).getResult()).block().getStatus());
    }

    private static TopicFollower follower(String name, dev.wgcp.schemas.consumer.EventConsumerLoop.State state) {
        return new TopicFollower() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public dev.wgcp.schemas.consumer.EventConsumerLoop.State state() {
                return state;
            }
        };
    }

    @Test
    void downWhileAReplayCatchesUpAndUpOnceEveryoneFollows() {
        var catching = new ConsumersHealthIndicator(List.of(follower("firewall-sync", dev.wgcp.schemas.consumer.EventConsumerLoop.State.CATCHING_UP),
                follower("ipam", dev.wgcp.schemas.consumer.EventConsumerLoop.State.FOLLOWING)));
        HealthResult result = Mono.from(catching.getResult()).block();
        assertEquals(HealthStatus.DOWN, result.getStatus());
        assertEquals(Map.of("firewall-sync", "catching up", "ipam", "following"), result.getDetails());

        var following = new ConsumersHealthIndicator(List.of(follower("firewall-sync", dev.wgcp.schemas.consumer.EventConsumerLoop.State.FOLLOWING)));
        assertEquals(HealthStatus.UP, Mono.from(following.getResult()).block().getStatus());
    }
}
