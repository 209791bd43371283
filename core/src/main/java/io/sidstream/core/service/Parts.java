package io.sidstream.core.service;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started parts of a process, closed in the reverse order of their start (consumers of a part stop before it);
 * a part that fails to close is logged and the others still close.
 */
public final class Parts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Parts.class);

    private final String owner;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** @param owner what the parts belong to, for the log */
    public Parts(String owner) {
        this.owner = owner;
    }

    /** Adds a started part. */
    public synchronized void add(AutoCloseable part) {
        started.push(part);
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("error while stopping a part of the {}", owner, e);
            }
        }
    }
}
