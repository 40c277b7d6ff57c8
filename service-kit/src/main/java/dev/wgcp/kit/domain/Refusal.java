package dev.wgcp.kit.domain;

import java.util.List;

/**
 * A request a service refuses, with what was wrong and what is expected: the one error type of every
 * wgcp service's domain and API code. {@link dev.wgcp.kit.api.ErrorHandlers} answers each kind with
 * its status and {@code {"status", "error", "message", "errors"?}}; the message is for the user and
 * must never carry an exception's text.
 */
public class Refusal extends RuntimeException {

    /** What kind of refusal, with its HTTP status and the {@code error} word of the answer. */
    public enum Kind {
        INVALID(400, "invalid_request"),
        FORBIDDEN(403, "forbidden"),
        NOT_FOUND(404, "not_found"),
        CONFLICT(409, "conflict"),
        /** The thing exists but cannot be used yet (a peer without its tunnel address). */
        NOT_READY(409, "not_ready");

        private final int status;
        private final String error;

        Kind(int status, String error) {
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    private final Kind kind;
    private final List<String> errors;

    public Refusal(Kind kind, String message) {
        this(kind, message, null);
    }

    /** @param errors one line per refused item (rows of an import), or null */
    public Refusal(Kind kind, String message, List<String> errors) {
        super(message, null, false, false); // expected, answered, never a stack trace
        this.kind = kind;
        this.errors = errors == null ? null : List.copyOf(errors);
    }

    public Kind kind() {
        return kind;
    }

    /** One line per refused item, or null. */
    public List<String> errors() {
        return errors;
    }

    public static Refusal invalid(String message) {
        return new Refusal(Kind.INVALID, message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, message);
    }

    public static Refusal forbidden(String message) {
        return new Refusal(Kind.FORBIDDEN, message);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, message);
    }

    public static Refusal notReady(String message) {
        return new Refusal(Kind.NOT_READY, message);
    }
}
