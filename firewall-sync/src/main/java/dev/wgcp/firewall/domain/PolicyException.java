package dev.wgcp.firewall.domain;

/** A firewall definition that cannot be accepted: the message says what was wrong and what is expected. */
public class PolicyException extends RuntimeException {

    /** Why: {@code invalid_request} (400), {@code not_found} (404), {@code conflict} (409). */
    private final String error;

    public PolicyException(String error, String message) {
        super(message);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public static PolicyException invalid(String message) {
        return new PolicyException("invalid_request", message);
    }

    public static PolicyException notFound(String message) {
        return new PolicyException("not_found", message);
    }

    public static PolicyException conflict(String message) {
        return new PolicyException("conflict", message);
    }
}
