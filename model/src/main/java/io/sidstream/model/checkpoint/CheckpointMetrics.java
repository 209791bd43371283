package io.sidstream.model.checkpoint;

import io.prometheus.metrics.core.metrics.Counter;

/** The checkpoint store's metrics: versions found damaged and set aside (each one cost a cycle's model). */
final class CheckpointMetrics {

    static final Counter QUARANTINED = Counter.builder()
            .name("sidstream_trainer_quarantined_checkpoints_total")
            .help("Checkpoint versions that failed verification (sha256 against the manifest) and were quarantined.")
            .register();

    private CheckpointMetrics() {}
}
