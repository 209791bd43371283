package io.sidstream.trainer.cycle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts cycles on one thread: when {@code interval} has passed since the last cycle ended, when at least
 * {@code minNewExamples} wait (checked every {@code checkInterval}), or on demand ({@link #requestCycle()}). Cycles
 * never overlap; a failed cycle is logged and retried at the next trigger, its data untouched.
 */
public final class CycleScheduler implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CycleScheduler.class);

    private final CycleRunner runner;
    private final Duration interval;
    private final long minNewExamples;
    private final Duration checkInterval;
    private final LongSupplier pending;
    private final Clock clock;
    private final List<CycleResult> results = Collections.synchronizedList(new ArrayList<>());
    private final Object lock = new Object();
    private boolean demanded;
    private volatile boolean stopped;
    private volatile int failures;

    /**
     * @param pending how many new examples wait (for the data trigger); called on the scheduler's thread
     */
    public CycleScheduler(CycleRunner runner, Duration interval, long minNewExamples, Duration checkInterval,
                          LongSupplier pending, Clock clock) {
        this.runner = runner;
        this.interval = interval;
        this.minNewExamples = minNewExamples;
        this.checkInterval = checkInterval;
        this.pending = pending;
        this.clock = clock;
    }

    /** Asks for a cycle as soon as the current one (if any) ends. */
    public void requestCycle() {
        synchronized (lock) {
            demanded = true;
            lock.notifyAll();
        }
    }

    public void stop() {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    public List<CycleResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    public int failures() {
        return failures;
    }

    @Override
    public void run() {
        long lastEnd = clock.millis();
        while (!stopped) {
            String trigger = awaitTrigger(lastEnd);
            if (trigger == null) {
                break;
            }
            try {
                results.add(runner.runCycle(trigger));
            } catch (RuntimeException e) {
                failures++;
                LOG.error("cycle ({}) failed; its examples stay unconsumed for the next one", trigger, e);
            }
            lastEnd = clock.millis();
        }
    }

    /** Blocks until a trigger fires; null when stopped. */
    private String awaitTrigger(long lastEnd) {
        while (!stopped) {
            synchronized (lock) {
                if (demanded) {
                    demanded = false;
                    return "on-demand";
                }
            }
            long now = clock.millis();
            if (now - lastEnd >= interval.toMillis()) {
                return "schedule";
            }
            if (minNewExamples > 0) {
                try {
                    if (pending.getAsLong() >= minNewExamples) {
                        return "data";
                    }
                } catch (RuntimeException e) {
                    LOG.warn("cannot check pending examples: {}", e.toString());
                }
            }
            long wait = Math.max(1, Math.min(checkInterval.toMillis(), interval.toMillis() - (now - lastEnd)));
            synchronized (lock) {
                if (!demanded && !stopped) {
                    try {
                        lock.wait(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** Offsets helper for the data trigger: the pending count after the latest checkpoint's offsets. */
    public static LongSupplier pendingAfterLatest(io.sidstream.trainer.checkpoint.CheckpointStore store,
                                                  io.sidstream.trainer.data.ExampleSource source) {
        return () -> source.pending(store.latest().map(c -> c.meta().offsets()).orElse(Map.of()));
    }
}
