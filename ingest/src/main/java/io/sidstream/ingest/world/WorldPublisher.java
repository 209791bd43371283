package io.sidstream.ingest.world;

import io.sidstream.ingest.publish.EventPublisher;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a world's events to Kafka, either paced so world time runs with wall time (the configured rates become real
 * rates) or as fast as the producer takes them. The backfill of initial videos goes out unpaced.
 */
public final class WorldPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(WorldPublisher.class);

    private final EventPublisher publisher;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();

    public WorldPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Publishes for {@code duration} of wall time (null: until interrupted); returns the number of events sent. */
    public long run(SyntheticWorld world, Duration duration, boolean paced) throws InterruptedException {
        long wallStart = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : wallStart + duration.toNanos();
        long worldStart = world.config().startTime().toEpochMilli();
        long sent = 0;
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            WorldEvent event = world.next();
            long worldMillis = event.emittedAt().toEpochMilli() - worldStart;
            if (paced && worldMillis > 0) {
                long due = wallStart + worldMillis * 1_000_000;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            publisher.publish(event.record()).whenComplete((ok, error) -> {
                if (error != null && failures.incrementAndGet() % 1000 == 1) {
                    lastFailure.set(error);
                    LOG.warn(
                            "simulated events are not reaching Kafka ({} failed so far): {}",
                            failures.get(),
                            error.getMessage());
                }
            });
            sent++;
        }
        publisher.flush();
        if (failures.get() > 0) {
            throw new IllegalStateException(
                    failures.get() + " of " + sent + " simulated events were not written: "
                            + lastFailure.get().getMessage(),
                    lastFailure.get());
        }
        return sent;
    }
}
