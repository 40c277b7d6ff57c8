package dev.wgcp.registry.domain;

/** An enrolment the registry refuses because of its token: the API answers 401 (400 when malformed). */
public class EnrolmentRefused extends RuntimeException {

    private final AuthFailure reason;

    public EnrolmentRefused(AuthFailure reason, String detail) {
        super(detail == null ? reason.message() : reason.message() + " (" + detail + ")");
        this.reason = reason;
    }

    public AuthFailure reason() {
        return reason;
    }
}
