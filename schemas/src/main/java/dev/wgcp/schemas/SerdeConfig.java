package dev.wgcp.schemas;

import java.util.Map;

/** Configuration keys of the wgcp serde, named like Confluent's so existing client configs carry over. */
public final class SerdeConfig {

    /** Base URL of the schema registry, e.g. http://localhost:8081. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Whether the serializer registers the topic's schema itself (true by default; false in locked-down registries). */
    public static final String AUTO_REGISTER = "auto.register.schemas";

    private SerdeConfig() {
    }

    static String registryUrl(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("'" + SCHEMA_REGISTRY_URL
                    + "' is not set: expected the schema registry's base URL, e.g. http://localhost:8081");
        }
        return url.toString().split(",")[0].trim();
    }

    static boolean autoRegister(Map<String, ?> configs) {
        Object v = configs.get(AUTO_REGISTER);
        return v == null || Boolean.parseBoolean(v.toString());
    }
}
