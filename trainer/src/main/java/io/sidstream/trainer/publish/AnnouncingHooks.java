package io.sidstream.trainer.publish;

import io.sidstream.model.checkpoint.CheckpointAnnouncer;
import io.sidstream.model.checkpoint.CheckpointMeta;
import io.sidstream.model.checkpoint.CheckpointStore.StoredCheckpoint;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.cycle.CycleHooks;
import io.sidstream.trainer.cycle.CycleResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Announces every checkpoint the gate published on the {@code checkpoints} topic, once it is durable in the store.
 * A failed announcement fails the cycle (counted, logged by the scheduler); {@link #announceLatestPublished()} at
 * start covers a version written but never announced, and announcing a version twice is harmless (subscribers load
 * only newer versions).
 */
public final class AnnouncingHooks implements CycleHooks {

    private final LocalCheckpointStore store;
    private final CheckpointAnnouncer announcer;

    public AnnouncingHooks(LocalCheckpointStore store, CheckpointAnnouncer announcer) {
        this.store = store;
        this.announcer = announcer;
    }

    @Override
    public void committed(CycleResult result, List<TrainingExample> trainedNew, List<TrainingExample> holdout) {
        if (result.published()) {
            announce(store.read(result.version())
                    .orElseThrow(() -> new IllegalStateException("checkpoint " + result.version()
                            + " was committed but cannot be read back from " + store.root())));
        }
    }

    /**
     * Announces the newest published version in the store that passes verification, if any (a damaged newer one is
     * quarantined, never announced again); returns its name.
     */
    public Optional<String> announceLatestPublished() {
        Optional<StoredCheckpoint> latest = store.latestValidPublished();
        latest.ifPresent(this::announce);
        return latest.map(c -> c.meta().version());
    }

    private void announce(StoredCheckpoint checkpoint) {
        CheckpointMeta meta = checkpoint.meta();
        announcer.announce(new CheckpointAnnouncer.Version(
                meta.version(),
                store.root().resolve(meta.version()),
                meta.codebookVersion(),
                meta.metrics(),
                Instant.ofEpochMilli(meta.watermarkMillis()),
                meta.offsets(),
                meta.parent()));
    }
}
