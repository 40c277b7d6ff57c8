package dev.wgcp.schemas;

import java.util.Map;

/** Configuration keys of the wgcp serde, named like Confluent's so existing client configs carry over. */
public final class SerdeConfig {

    /** Base URL of the schema registry, e.g. http://localhost:8081. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Whether the serializer registers the topic's schema itself (true by default; false in locked-down registries). */
    public static final String AUTO_REGISTER = "auto.register.schemas";

    /** {@code USER_INFO}: send {@link #BASIC_AUTH_USER_INFO} as HTTP basic credentials (Confluent's names). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password} of a schema writer. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    private SerdeConfig() {
    }

    /** A registry client from the configuration: with credentials when USER_INFO names them, else one that only reads. */
    static SchemaRegistryClient registryClient(Map<String, ?> configs) {
        String url = registryUrl(configs);
        Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        Object info = configs.get(BASIC_AUTH_USER_INFO);
        if (source == null && info == null) {
            return new SchemaRegistryClient(url);
        }
        if (source != null && !"USER_INFO".equals(source.toString())) {
            throw new IllegalArgumentException("'" + BASIC_AUTH_CREDENTIALS_SOURCE + "' is " + source + ": expected USER_INFO");
        }
        int colon = info == null ? -1 : info.toString().indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + BASIC_AUTH_USER_INFO + "' is not set as user:password");
        }
        return SchemaRegistryClient.withCredentials(url, info.toString().substring(0, colon), info.toString().substring(colon + 1));
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
