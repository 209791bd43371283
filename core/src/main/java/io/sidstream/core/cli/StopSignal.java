package io.sidstream.core.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * SIGTERM or Ctrl-C for a command whose work runs on the calling thread. On its own the JVM runs its shutdown hooks
 * and then halts wherever that work is, which can leave a file half-written or a replay's position behind what Kafka
 * already took. While a {@code StopSignal} is open, a stop instead sets its flag (and interrupts the thread, when asked,
 * for work that sleeps or blocks) and holds the JVM until the work has ended, at most {@code grace}: work that polls
 * the flag between short steps ends cleanly within a step.
 */
public final class StopSignal implements BooleanSupplier, AutoCloseable {

    private final Thread hook;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean requested;

    private StopSignal(Thread worker, Duration grace, boolean interrupt) {
        this.hook = new Thread(
                () -> {
                    requested = true;
                    if (interrupt) {
                        worker.interrupt();
                    }
                    try {
                        ended.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sidstream-stop");
    }

    /**
     * Watches for a stop until closed; the work is the calling thread's.
     *
     * @param grace     how long a stop waits for the work to end before the JVM halts anyway
     * @param interrupt also interrupt the thread (work that waits: pacing, a blocked send), not only set the flag
     */
    public static StopSignal install(Duration grace, boolean interrupt) {
        StopSignal signal = new StopSignal(Thread.currentThread(), grace, interrupt);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Whether a stop was asked for. */
    @Override
    public boolean getAsBoolean() {
        return requested;
    }

    /** The work has ended: a stop in progress lets the JVM halt now; without one, stops are no longer watched. */
    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: it returns now that the work has ended
        }
    }
}
