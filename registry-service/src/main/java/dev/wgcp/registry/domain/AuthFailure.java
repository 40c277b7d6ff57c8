package dev.wgcp.registry.domain;

/** Why a request was not authenticated or not allowed, as counted in the metric and logged. */
public enum AuthFailure {
    /** No Authorization header. */
    MISSING("no credentials: send 'Authorization: Bearer <token>' with an API token"),
    /** An Authorization header that is not a wgcp bearer token. */
    MALFORMED("the Authorization header is not a wgcp API token: expected 'Authorization: Bearer wgcp_<43 characters>'"),
    /** A well-formed token the registry never issued. */
    UNKNOWN("the API token is not known to this registry; ask an admin for one (POST /v1/tokens)"),
    /** A token that was revoked. */
    REVOKED("the API token was revoked; ask an admin for a new one"),
    /** A token past its expiry. */
    EXPIRED("the API token has expired; ask an admin for a new one"),
    /** A valid token whose scope does not allow the call. */
    SCOPE("the API token's scope does not allow this call"),
    /** A valid operator token used on another network than its own. */
    NETWORK("the API token is scoped to another network");

    private final String message;

    AuthFailure(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
