package dev.wgcp.kit.domain;

/**
 * Why a request was not authenticated or not allowed, as counted in {@code wgcp_api_auth_failures_total{reason}}
 * by every service and logged. The enrolment and peer-token reasons occur at registry-service only.
 */
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
    NETWORK("the API token is scoped to another network"),
    /** A service that checks tokens with the registry could not reach it: answered 503, not 401. */
    UNAVAILABLE("the token cannot be checked now: registry-service, which issues and checks API tokens, does not answer; retry shortly"),
    /** An enrolment request without a well-formed enrolment token. */
    ENROLMENT_MALFORMED("expected JSON {\"token\": \"wgce_<43 characters>\", \"publicKey\": \"<wg pubkey output>\", \"name\": \"phone\"?}"),
    /** An enrolment token the registry never issued. */
    ENROLMENT_UNKNOWN("the enrolment token is not known to this registry; ask an operator for a new one"),
    /** An enrolment token that was revoked. */
    ENROLMENT_REVOKED("the enrolment token was revoked; ask an operator for a new one"),
    /** An enrolment token past its expiry. */
    ENROLMENT_EXPIRED("the enrolment token has expired; ask an operator for a new one"),
    /** A rotation without an admin or operator token and without the peer's own peer token. */
    PEER_TOKEN("rotating a peer's key needs its peer token ('Authorization: Bearer wgcr_...', from its registration or last "
            + "rotation) or an admin or operator API token"),
    /** An enrolment token used as often as it allows: a replay, or one device too many. */
    ENROLMENT_USED("the enrolment token has been used as often as it allows and cannot be used again; ask an operator for a new one");

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
