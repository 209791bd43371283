package io.sidstream.ingest.gateway;

/** An event that breaks its contract; the message is the reason the client and the dead letter get. */
public final class InvalidEventException extends Exception {

    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
