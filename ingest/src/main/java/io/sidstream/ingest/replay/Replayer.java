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

/**
 * Publishes a timeline through the shared publisher in order, paced, with a progress bar, and records its position
 * every {@code checkpointEvery} events once Kafka has acknowledged everything before it.
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
     */
    public ReplayResult run(List<Timeline.Entry> timeline, ReplayPosition position, boolean resume, Pacer pacer,
                            MalformedLines malformed) throws InterruptedException {
        long start = resume && position != null ? position.load() : 0;
        if (start > timeline.size()) {
            throw new IllegalStateException("replay position " + start + " is past the end of the timeline ("
                    + timeline.size() + " events): the inputs changed; delete " + position.file());
        }
        long uploads = 0;
        long engagements = 0;
        List<CompletableFuture<RecordMetadata>> pending = new ArrayList<>(checkpointEvery);
        ProgressBar bar = showProgress ? new ProgressBarBuilder().setTaskName("replay").setInitialMax(timeline.size())
                .setUnit(" events", 1).showSpeed().continuousUpdate().build() : null;
        try {
            if (bar != null) {
                bar.stepTo(start);
            }
            for (int i = (int) start; i < timeline.size(); i++) {
                Timeline.Entry entry = timeline.get(i);
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
                }
            }
            checkpoint(pending, position, timeline.size(), timeline.size());
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return new ReplayResult(timeline.size(), start, timeline.size() - start, uploads, engagements,
                malformed.count(), malformed.examples());
    }

    private void checkpoint(List<CompletableFuture<RecordMetadata>> pending, ReplayPosition position, long published,
                            long total) throws InterruptedException {
        publisher.flush();
        try {
            for (CompletableFuture<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take an event (" + e.getCause().getMessage()
                    + "); run again with --resume to continue from the last checkpoint", e.getCause());
        }
        pending.clear();
        if (position != null) {
            position.save(published, total);
        }
    }
}
