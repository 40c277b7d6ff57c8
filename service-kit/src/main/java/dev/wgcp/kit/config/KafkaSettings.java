package dev.wgcp.kit.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** Where the broker and the schema registry are ({@code wgcp.kafka.*}). */
@ConfigurationProperties("wgcp.kafka")
public class KafkaSettings {

    private String bootstrapServers = "127.0.0.1:9092";
    private String schemaRegistryUrl = "http://127.0.0.1:8081";

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getSchemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    public void setSchemaRegistryUrl(String schemaRegistryUrl) {
        this.schemaRegistryUrl = schemaRegistryUrl;
    }
}
