package dev.wgcp.schemas;

/** A record's bytes are not a valid wgcp event in the Confluent wire format. Such records are dead-lettered. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
