package io.sidstream.core.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-running part of the platform on its own thread, restarted with a growing pause when it fails: the parts
 * end their run on any error they cannot handle in place (a publisher that lost a write), and rebuild on restart.
 */
public final class Supervised implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Supervised.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    /** A part: run until stopped or failed; stop makes a run return soon. */
    public interface Part extends Runnable {
        void stop();

        static Part of(Runnable run, Runnable stop) {
            return new Part() {
                @Override
                public void run() {
                    run.run();
                }

                @Override
                public void stop() {
                    stop.run();
                }
            };
        }
    }

    private final String name;
    private final java.util.function.Supplier<Part> parts;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Part current;

    public Supervised(String name, java.util.function.Supplier<Part> parts) {
        this.name = name;
        this.parts = parts;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    public Supervised start() {
        thread.start();
        return this;
    }

    private void loop() {
        Duration pause = FIRST_PAUSE;
        while (running.get()) {
            try {
                current = parts.get();
                current.run();
                pause = FIRST_PAUSE;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warn("{} failed, restarting in {} s: {}", name, pause.toSeconds(), e.toString());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        Part part = current;
        if (part != null) {
            part.stop();
        }
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within 15 s", name);
        }
    }
}
