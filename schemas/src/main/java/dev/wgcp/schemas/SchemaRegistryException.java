package dev.wgcp.schemas;

/** The schema registry refused a request or could not be reached; carries Confluent's error code. */
public class SchemaRegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** Confluent error code, e.g. 40401 subject not found, 40403 schema not found, 409 incompatible. */
    public int errorCode() {
        return errorCode;
    }
}
