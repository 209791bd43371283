package io.sidstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** Bytes that are not a valid Schema Registry wire-format record, with the category of the failure. */
public class WireFormatException extends SerializationException {

    private final DecodeError error;

    public WireFormatException(DecodeError error, String reason, Throwable cause) {
        super(error + ": " + reason, cause);
        this.error = error;
    }

    public WireFormatException(DecodeError error, String reason) {
        this(error, reason, null);
    }

    public DecodeError error() {
        return error;
    }
}
