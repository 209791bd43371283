package io.sidstream.ingest.world;

import io.sidstream.ingest.publish.EventPublisher;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The synthetic world as a live, resumable event source: world time is wall time (the world starts when it is first
 * run and each event is sent when its time comes), and how far it got is kept in a position file, so a restarted
 * platform continues the same world instead of replaying it. After a stop, the events the world would have emitted
 * meanwhile go out at once, the way clients deliver what they buffered while the service was away.
 *
 * <p>The position is written only after the producer confirmed every event before it, so a clean stop resumes exactly;
 * after a crash, events sent after the last written position are sent again with the same event ids (at most
 * {@code positionEvery} worth), which the sequence-windows job drops as re-deliveries.
 */
public final class LiveWorldFeed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveWorldFeed.class);
    private static final long POSITION_EVERY_MS = 1000;
    private static final long MAX_SLEEP_MS = 200;

    private final WorldConfig configured;
    private final Path positionFile;
    private final EventPublisher publisher;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    private volatile boolean stopped;

    /**
     * @param configured   the world's shape and rates; its start time is replaced by the first run's wall time
     * @param positionFile where the world's start time and the number of events sent are kept
     */
    public LiveWorldFeed(WorldConfig configured, Path positionFile, EventPublisher publisher, Clock clock) {
        this.configured = configured;
        this.positionFile = positionFile;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Events sent, the ones skipped on resume included. */
    public long sent() {
        return sent.get();
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Position position =
                Position.read(positionFile, fingerprint(configured)).orElseGet(() -> new Position(clock.instant(), 0));
        SyntheticWorld world = new SyntheticWorld(configured.withStartTime(position.startTime));
        for (long i = 0; i < position.sent; i++) {
            world.next();
        }
        sent.set(position.sent);
        if (position.sent > 0) {
            LOG.info("resuming the synthetic world started at {} after {} events", position.startTime, position.sent);
        }
        long lastPosition = clock.millis();
        try {
            while (!stopped) {
                WorldEvent event = world.next();
                if (!awaitTime(event.emittedAt().toEpochMilli())) {
                    break;
                }
                publisher.publish(event.record()).whenComplete((ok, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                        lastFailure.set(error);
                    }
                });
                sent.incrementAndGet();
                if (clock.millis() - lastPosition >= POSITION_EVERY_MS) {
                    commit(position.startTime);
                    lastPosition = clock.millis();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            commit(position.startTime);
        }
    }

    /** Sleeps until the event's time; false when stopped meanwhile. */
    private boolean awaitTime(long dueMillis) throws InterruptedException {
        long wait;
        while ((wait = dueMillis - clock.millis()) > 0) {
            if (stopped) {
                return false;
            }
            Thread.sleep(Math.min(wait, MAX_SLEEP_MS));
        }
        return !stopped;
    }

    /** Writes the position once every event up to it is in Kafka; fails the feed (to be restarted) otherwise. */
    private void commit(Instant startTime) {
        publisher.flush();
        if (failures.get() > 0) {
            Throwable cause = lastFailure.get();
            throw new IllegalStateException(
                    failures.get() + " simulated events were not written (they are sent again "
                            + "from the last position when the feed restarts): " + cause.getMessage(),
                    cause);
        }
        new Position(startTime, sent.get()).write(positionFile, fingerprint(configured));
    }

    /** The world's settings without its start time: a position is only valid for the same world. */
    static String fingerprint(WorldConfig config) {
        return config.withStartTime(Instant.EPOCH).toString();
    }

    private record Position(Instant startTime, long sent) {

        static java.util.Optional<Position> read(Path file, String fingerprint) {
            if (!Files.isRegularFile(file)) {
                return java.util.Optional.empty();
            }
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the synthetic world's position " + file, e);
            }
            if (!fingerprint.equals(p.getProperty("world"))) {
                throw new IllegalStateException("the synthetic world's position " + file
                        + " belongs to a world with other "
                        + "settings (" + p.getProperty("world") + "); run with the same ingest.simulate settings, or "
                        + "delete the data directory to start a new world");
            }
            return java.util.Optional.of(new Position(
                    Instant.parse(p.getProperty("start-time")), Long.parseLong(p.getProperty("events-sent"))));
        }

        void write(Path file, String fingerprint) {
            Properties p = new Properties();
            p.setProperty("world", fingerprint);
            p.setProperty("start-time", startTime.toString());
            p.setProperty("events-sent", Long.toString(sent));
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path temp = file.resolveSibling(file.getFileName() + ".tmp");
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    p.store(out, "sidstream synthetic world position");
                }
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the synthetic world's position " + file, e);
            }
        }
    }
}
