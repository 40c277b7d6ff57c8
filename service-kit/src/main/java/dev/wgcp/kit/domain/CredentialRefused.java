package dev.wgcp.kit.domain;

/** A request refused because of the credential it carries (an enrolment or peer token): 401 (400 when malformed). */
public class CredentialRefused extends RuntimeException {

    private final AuthFailure reason;

    public CredentialRefused(AuthFailure reason, String detail) {
        super(detail == null ? reason.message() : reason.message() + " (" + detail + ")");
        this.reason = reason;
    }

    public AuthFailure reason() {
        return reason;
    }
}
