package dev.wgcp.schemas.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a handler's failure may go away by itself (the database or the broker is down or busy, a
 * socket timed out), so the event is retried for as long as it takes, or is about the event itself
 * (a field the handler cannot take), so retrying cannot help and the event is dead-lettered after a
 * few attempts instead of stalling its partition for ever.
 */
public final class HandlerFailures {

    /** SQL state classes of failures that pass: connection (08), rollback/serialization/deadlock (40), resources (53), operator (57). */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57");

    private HandlerFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof RetriableException
                    || t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException
                    || t instanceof InterruptedException) {
                return true;
            }
            if (t instanceof dev.wgcp.schemas.SchemaRegistryException sr && (sr.status() >= 500 || sr instanceof dev.wgcp.schemas.UnknownSchemaException)) {
                return true; // the registry down or busy, or not knowing a schema yet: not the event's fault
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && TRANSIENT_SQL_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /** What a dead-lettered event's reason says of the failure: its kind and message, no stack. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (root != failure) {
            text += " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }
}
