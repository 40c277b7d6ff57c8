package dev.wgcp.schemas;

/**
 * A record names a schema id the registry does not know. That is not the record's fault: the
 * registry was emptied or reset, or this reader points at another registry than the writers. So a
 * consumer retries such a record (and everything behind it) until the registry knows the id, and
 * never dead-letters or commits past it: an agent that dropped every record because its registry
 * came up empty would rebuild an empty state and remove every peer.
 */
public class UnknownSchemaException extends SchemaRegistryException {

    private final int schemaId;

    public UnknownSchemaException(int schemaId, String registryUrl, Throwable cause) {
        super(404, 40403, "schema id " + schemaId + " is unknown to the schema registry at " + registryUrl
                + " (was it emptied or reset, or is this another registry than the producers use?); the record is retried,"
                + " never skipped: restore the registry's data or point this reader at the producers' registry", cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
