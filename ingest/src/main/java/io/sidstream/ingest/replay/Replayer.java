package io.sidstream.ingest.replay;

import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.schemas.VideoUploaded;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Publishes a timeline through the shared publisher in order, paced, with a progress bar, and records its position
 * every {@code checkpointEvery} events once Kafka has acknowledged everything before it. Interrupted (a stop), it
 * waits for what it already handed to Kafka and records exactly how far Kafka took the timeline, so a resumed run
 * neither skips an event nor sends one again.
 */
public final class Replayer {

    private final EventPublisher publisher;
    private final int checkpointEvery;
    private final boolean showProgress;

    public Replayer(EventPublisher publisher, int checkpointEvery, boolean showProgress) {
        this.publisher = publisher;
        this.checkpointEvery = checkpointEvery;
        this.showProgress = showProgress;
    }

    /**
     * @param position where to record progress (null: none)
     * @param resume   skip what the position says an earlier run published
     * @throws InterruptedException when interrupted (a stop), once the position says how far Kafka took the timeline
     */
    public ReplayResult run(
            List<Timeline.Entry> timeline,
            ReplayPosition position,
            boolean resume,
            Pacer pacer,
            MalformedLines malformed)
            throws InterruptedException {
        long start = resume && position != null ? position.load() : 0;
        if (start > timeline.size()) {
            throw new IllegalStateException("replay position " + start + " is past the end of the timeline ("
                    + timeline.size() + " events): the inputs changed; delete " + position.file());
        }
        long uploads = 0;
        long engagements = 0;
        // the events handed to Kafka since the last recorded position, in timeline order
        List<CompletableFuture<RecordMetadata>> pending = new ArrayList<>(checkpointEvery);
        long recorded = start;
        ProgressBar bar = showProgress
                ? new ProgressBarBuilder()
                        .setTaskName("replay")
                        .setInitialMax(timeline.size())
                        .setUnit(" events", 1)
                        .showSpeed()
                        .continuousUpdate()
                        .build()
                : null;
        try {
            if (bar != null) {
                bar.stepTo(start);
            }
            for (int i = (int) start; i < timeline.size(); i++) {
                Timeline.Entry entry = timeline.get(i);
                if (Thread.currentThread().isInterrupted()) {
                    // as fast as possible, nothing sleeps where an interrupt would surface
                    throw new InterruptedException();
                }
                pacer.await(entry.time());
                pending.add(publisher.publish(entry.event()));
                if (entry.event() instanceof VideoUploaded) {
                    uploads++;
                } else {
                    engagements++;
                }
                if (bar != null) {
                    bar.step();
                }
                if (pending.size() >= checkpointEvery) {
                    checkpoint(pending, position, i + 1, timeline.size());
                    recorded = i + 1;
                }
            }
            checkpoint(pending, position, timeline.size(), timeline.size());
        } catch (InterruptedException | InterruptException e) {
            throw stopped(pending, position, recorded, timeline.size());
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return new ReplayResult(
                timeline.size(),
                start,
                timeline.size() - start,
                uploads,
                engagements,
                malformed.count(),
                malformed.examples());
    }

    /**
     * After an interrupt: waits for the pending events (the flush is quick while the broker is up; the caller bounds how
     * long a stop may take) and records the position after the last of them Kafka acknowledged without a gap.
     */
    private InterruptedException stopped(
            List<CompletableFuture<RecordMetadata>> pending, ReplayPosition position, long recorded, long total) {
        Thread.interrupted();
        long acknowledged = recorded;
        try {
            publisher.flush();
            for (CompletableFuture<RecordMetadata> sent : pending) {
                if (!sent.isDone() || sent.isCompletedExceptionally()) {
                    break;
                }
                acknowledged++;
            }
            if (position != null && acknowledged > recorded) {
                position.save(acknowledged, total);
            }
        } catch (InterruptException e) {
            // interrupted again while flushing: the last recorded position stands (a resumed run resends from there)
            acknowledged = recorded;
        }
        return new InterruptedException("replay stopped after " + acknowledged + " of " + total
                + " events (recorded; a resumed run continues there)");
    }

    private void checkpoint(
            List<CompletableFuture<RecordMetadata>> pending, ReplayPosition position, long published, long total)
            throws InterruptedException {
        publisher.flush();
        try {
            for (CompletableFuture<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka did not take an event (" + e.getCause().getMessage()
                            + "); run again with --resume to continue from the last checkpoint",
                    e.getCause());
        }
        pending.clear();
        if (position != null) {
            position.save(published, total);
        }
    }
}
