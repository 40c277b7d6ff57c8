package dev.wgcp.kit.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API token may do. {@code ADMIN}: everything, tokens included. {@code OPERATOR}: register,
 * revoke and read peers, in one network when the token names one. {@code READ_ONLY}: read. {@code
 * AGENT}: what an edge agent needs, reading networks and peers.
 */
public enum ApiScope {
    ADMIN, OPERATOR, READ_ONLY, AGENT;

    /** The name in the API: admin, operator, read-only, agent. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ApiScope parse(String text) {
        if (text != null) {
            String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ApiScope s : values()) {
                if (s.name().equals(normalized)) {
                    return s;
                }
            }
        }
        throw Refusal.invalid("scope '" + text + "' is unknown; expected one of "
                + Arrays.stream(values()).map(ApiScope::label).collect(Collectors.joining(", ")));
    }
}
