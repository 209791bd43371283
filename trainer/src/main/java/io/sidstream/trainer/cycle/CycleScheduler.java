package io.sidstream.trainer.cycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * never overlap; a failed cycle is logged and its data stays untouched.
 *
 * <p>After a failure the schedule and data triggers wait out a back-off that doubles with every failure in a row, from
 * {@code retryBackoff} up to {@code maxRetryBackoff}, so a cause that persists (a full disk, a lost GPU) costs a cycle
 * now and then instead of a core and a stream of stack traces; an on-demand request still runs at once (an operator
 * who fixed the cause need not wait). {@link #status()} says what the scheduler is doing and why the last cycle failed.
 *
 * <p>The thread running {@link #run()} may be interrupted to stop: a cycle in progress is abandoned
 * ({@link CycleAbandonedException}), nothing of it written.
 */
public final class CycleScheduler implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CycleScheduler.class);

    /** One cycle, as {@link CycleRunner#runCycle(String)} runs it. */
    @FunctionalInterface
    public interface Cycles {
        CycleResult run(String trigger);
    }

    /**
     * What the scheduler is doing, for the status page and tests.
     *
     * @param runningSince        when the cycle in progress started, or null
     * @param lastEnded           when the last cycle (successful or not) ended, or null
     * @param consecutiveFailures failed cycles in a row (0 after one that did not fail)
     * @param lastFailure         why the last cycle failed, while the failures last
     * @param retryAt             when the schedule and data triggers may start a cycle again, while backing off
     */
    public record Status(
            Instant runningSince, Instant lastEnded, int consecutiveFailures, String lastFailure, Instant retryAt) {}

    private final Cycles cycles;
    private final Duration interval;
    private final long minNewExamples;
    private final Duration checkInterval;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final LongSupplier pending;
    private final Clock clock;
    private final List<CycleResult> results = Collections.synchronizedList(new ArrayList<>());
    private final Object lock = new Object();
    private boolean demanded;
    private volatile boolean stopped;
    private volatile int failures;
    private volatile Status status = new Status(null, null, 0, null, null);

    public CycleScheduler(
            CycleRunner runner,
            Duration interval,
            long minNewExamples,
            Duration checkInterval,
            LongSupplier pending,
            Clock clock) {
        this(
                runner::runCycle,
                interval,
                minNewExamples,
                checkInterval,
                Duration.ofSeconds(30),
                Duration.ofMinutes(30),
                pending,
                clock);
    }

    /**
     * @param pending how many new examples wait (for the data trigger); called on the scheduler's thread
     */
    public CycleScheduler(
            Cycles cycles,
            Duration interval,
            long minNewExamples,
            Duration checkInterval,
            Duration retryBackoff,
            Duration maxRetryBackoff,
            LongSupplier pending,
            Clock clock) {
        this.cycles = cycles;
        this.interval = interval;
        this.minNewExamples = minNewExamples;
        this.checkInterval = checkInterval;
        this.retryBackoff = retryBackoff;
        this.maxRetryBackoff = maxRetryBackoff;
        this.pending = pending;
        this.clock = clock;
    }

    /** Asks for a cycle as soon as the current one (if any) ends. */
    public void requestCycle() {
        requestCycle(clock.instant());
    }

    /**
     * Asks for a cycle that sees the data up to {@code requestedAt}: a cycle that started after that moment (running
     * or done) already answers it, so repeated requests merge instead of queueing cycles back to back.
     */
    public void requestCycle(Instant requestedAt) {
        Status now = status;
        Instant coveredFrom = now.runningSince() != null ? now.runningSince() : null;
        if (coveredFrom != null && !requestedAt.isAfter(coveredFrom)) {
            LOG.info("cycle request of {} merged into the cycle running since {}", requestedAt, coveredFrom);
            return;
        }
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

    /** Failed cycles since start. */
    public int failures() {
        return failures;
    }

    public Status status() {
        return status;
    }

    @Override
    public void run() {
        long lastEnd = clock.millis();
        while (!stopped) {
            String trigger = awaitTrigger(lastEnd);
            if (trigger == null) {
                break;
            }
            Status before = status;
            status = new Status(
                    clock.instant(),
                    before.lastEnded(),
                    before.consecutiveFailures(),
                    before.lastFailure(),
                    before.retryAt());
            try {
                results.add(cycles.run(trigger));
                status = new Status(null, clock.instant(), 0, null, null);
                TrainerMetrics.CONSECUTIVE_FAILED.set(0);
            } catch (CycleAbandonedException e) {
                LOG.info("{}", e.getMessage());
                status = new Status(null, clock.instant(), before.consecutiveFailures(), before.lastFailure(), null);
                break;
            } catch (RuntimeException e) {
                failures++;
                int inARow = before.consecutiveFailures() + 1;
                Duration backoff = backoff(inARow);
                Instant retryAt = clock.instant().plus(backoff);
                status = new Status(null, clock.instant(), inARow, String.valueOf(e.getMessage()), retryAt);
                TrainerMetrics.CONSECUTIVE_FAILED.set(inARow);
                LOG.error(
                        "cycle ({}) failed ({} in a row); its examples stay unconsumed; the next scheduled or data "
                                + "triggered cycle waits {} (until {})",
                        trigger,
                        inARow,
                        backoff,
                        retryAt,
                        e);
            }
            lastEnd = clock.millis();
        }
    }

    /** {@code retryBackoff} doubled for every failure in a row after the first, at most {@code maxRetryBackoff}. */
    Duration backoff(int failuresInARow) {
        Duration backoff = retryBackoff;
        for (int i = 1; i < failuresInARow && backoff.compareTo(maxRetryBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : backoff;
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
            Instant retryAt = status.retryAt();
            long backingOff = retryAt == null ? 0 : retryAt.toEpochMilli() - now;
            if (backingOff <= 0) {
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
            }
            long wait = Math.max(
                    1, Math.max(backingOff, Math.min(checkInterval.toMillis(), interval.toMillis() - (now - lastEnd))));
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
    public static LongSupplier pendingAfterLatest(
            io.sidstream.model.checkpoint.CheckpointStore store, io.sidstream.trainer.data.ExampleSource source) {
        return () -> source.pending(store.latest().map(c -> c.meta().offsets()).orElse(Map.of()));
    }
}
