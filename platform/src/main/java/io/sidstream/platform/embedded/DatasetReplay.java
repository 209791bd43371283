package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.replay.Dataset;
import io.sidstream.ingest.replay.DatasetFiles;
import io.sidstream.ingest.replay.MalformedLines;
import io.sidstream.ingest.replay.Pacer;
import io.sidstream.ingest.replay.ReplayConfig;
import io.sidstream.ingest.replay.ReplayResult;
import io.sidstream.ingest.replay.Replayer;
import io.sidstream.ingest.replay.Timeline;
import io.sidstream.schemas.VideoUploaded;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dataset replayed as the platform's event source ({@code sidstream up --replay DIR}): read once at start, then
 * published in event-time order at a speed factor on a thread of its own, always resuming from the dataset's replay
 * position, so a restarted platform continues the replay. Stopping it records the position after the last event Kafka
 * acknowledged, so a restart sends nothing twice; a crash keeps the position of the last acknowledged batch
 * ({@code ingest.replay.checkpoint-every-events}), and the events after it are sent again, with the same ids.
 */
final class DatasetReplay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetReplay.class);

    private final DatasetFiles dataset;
    private final ReplayConfig config;
    private final MalformedLines malformed;
    private final List<Timeline.Entry> timeline;
    private final double speed;
    private Thread thread;

    DatasetReplay(SidstreamConfig config, DatasetFiles dataset, double speed) {
        this.dataset = dataset;
        this.config = ReplayConfig.from(config.section("ingest"));
        this.speed = speed;
        this.malformed = new MalformedLines(this.config.maxMalformedLines());
        Dataset read = dataset.read(this.config, malformed);
        this.timeline = Timeline.of(read, this.config.defaultDuration());
        if (malformed.count() > 0) {
            LOG.warn(
                    "{} malformed lines in {} (first: {})",
                    malformed.count(),
                    dataset.items().getParent(),
                    malformed.examples().isEmpty() ? "" : malformed.examples().get(0));
        }
    }

    /** Every upload of the dataset, in event-time order: the catalogue its codebooks are trained on. */
    List<VideoUploaded> catalog() {
        return timeline.stream()
                .map(Timeline.Entry::event)
                .filter(VideoUploaded.class::isInstance)
                .map(VideoUploaded.class::cast)
                .toList();
    }

    int events() {
        return timeline.size();
    }

    DatasetReplay start(EventPublisher publisher) {
        thread = new Thread(
                () -> {
                    try {
                        ReplayResult result = new Replayer(publisher, config.checkpointEveryEvents(), false)
                                .run(timeline, dataset.position(config), true, new Pacer(speed), malformed);
                        LOG.info(
                                "replay of {} done: {} events published{}",
                                dataset.items().getParent(),
                                result.published(),
                                result.resumedAt() > 0 ? " after resuming at " + result.resumedAt() : "");
                    } catch (InterruptedException e) {
                        LOG.info("{}: {}", dataset.items().getParent(), e.getMessage());
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.error(
                                "replay of {} stopped: {}; the next start resumes it",
                                dataset.items().getParent(),
                                e.getMessage(),
                                e);
                    }
                },
                "dataset-replay");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(30_000);
        }
    }
}
