package io.sidstream.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a server does with a request body it refuses by its declared size (413) before answering. Answering and closing
 * with the body unread makes TCP reset the connection, and the reset can destroy the 413 before the client reads it
 * (the JDK client then reports "header parser received no bytes"): so a body up to {@link #DRAIN_LIMIT_BYTES} is read
 * and dropped first. A larger one is not worth the bandwidth, and its client may see a reset instead of the 413.
 */
public final class RefusedBodies {

    public static final long DRAIN_LIMIT_BYTES = 16L << 20;

    private RefusedBodies() {}

    public static void drain(InputStream body, long declaredBytes) {
        if (declaredBytes > DRAIN_LIMIT_BYTES) {
            return;
        }
        try (body) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException clientWentAway) {
            // nothing to answer to: the 413 is written anyway and fails quietly
        }
    }
}
