package dev.wgcp.ipam.domain;

/** A request ipam refuses, with what was wrong and what is expected. */
public class IpamException extends RuntimeException {

    /** What kind of refusal; the API maps each to an HTTP status. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public IpamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static IpamException invalid(String message) {
        return new IpamException(Kind.INVALID, message);
    }

    public static IpamException notFound(String message) {
        return new IpamException(Kind.NOT_FOUND, message);
    }

    public static IpamException conflict(String message) {
        return new IpamException(Kind.CONFLICT, message);
    }
}
