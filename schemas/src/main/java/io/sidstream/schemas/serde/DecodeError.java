package io.sidstream.schemas.serde;

/** Why bytes could not be turned into a record. The name is what a dead letter carries as its error class. */
public enum DecodeError {
    /** Fewer than the 5 header bytes. */
    TRUNCATED_HEADER(false),
    /** The first byte is not the wire format's magic byte 0. */
    BAD_MAGIC_BYTE(false),
    /** The registry does not know the schema id. */
    UNKNOWN_SCHEMA_ID(false),
    /** The writer schema cannot be read with the reader's schema. */
    INCOMPATIBLE_SCHEMA(false),
    /** The Avro binary after the header is truncated or malformed. */
    CORRUPT_PAYLOAD(false),
    /** The registry could not be asked; the record may be fine, so it must be retried, not dead-lettered. */
    REGISTRY_UNAVAILABLE(true);

    private final boolean transientFailure;

    DecodeError(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /** True when retrying the same bytes later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
