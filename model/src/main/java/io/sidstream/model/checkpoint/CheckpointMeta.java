package io.sidstream.model.checkpoint;

import java.util.Map;

/**
 * What a checkpoint says about itself, beside its files: the codebook its SIDs come from, the newest event time it
 * has seen, the Kafka offsets (per partition of the examples topic) up to which its data was consumed, its holdout
 * metrics, and whether the gate published it.
 *
 * @param version            the store's version name
 * @param codebookVersion    codebook of every SID the model was trained on
 * @param createdAtMillis    when it was written
 * @param watermarkMillis    newest example event time consumed
 * @param offsets            next offset to read per partition of the examples topic
 * @param metrics            evaluation figures (recall_at_10, ...)
 * @param published          whether the gate accepted it for serving
 * @param parent             version it was warm-started from, or null
 */
public record CheckpointMeta(
        String version,
        String codebookVersion,
        long createdAtMillis,
        long watermarkMillis,
        Map<Integer, Long> offsets,
        Map<String, Double> metrics,
        boolean published,
        String parent) {

    public CheckpointMeta {
        offsets = Map.copyOf(offsets);
        metrics = Map.copyOf(metrics);
    }
}
