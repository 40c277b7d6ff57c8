package dev.wgcp.registry.domain;

/** A request the registry refuses, with what was wrong and what is expected. */
public class RegistryException extends RuntimeException {

    /** What kind of refusal; the API maps each to an HTTP status. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, NOT_READY, FORBIDDEN }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static RegistryException invalid(String message) {
        return new RegistryException(Kind.INVALID, message);
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(Kind.NOT_FOUND, message);
    }

    public static RegistryException forbidden(String message) {
        return new RegistryException(Kind.FORBIDDEN, message);
    }

    public static RegistryException conflict(String message) {
        return new RegistryException(Kind.CONFLICT, message);
    }
}
