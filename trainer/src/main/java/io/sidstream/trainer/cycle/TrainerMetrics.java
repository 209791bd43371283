package io.sidstream.trainer.cycle;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The trainer's Prometheus metrics, recorded by {@link CycleRunner} for every cycle that had data: how cycles end, how
 * long they take, how good the last candidate was, and how many gated cycles came in a row (the alert on a model that
 * stopped improving).
 */
public final class TrainerMetrics {

    static final Counter CYCLES = Counter.builder()
            .name("sidstream_trainer_cycles_total")
            .help("Training cycles with new data, by outcome (published, gated, failed).")
            .labelNames("outcome")
            .register();
    static final Gauge CONSECUTIVE_GATED = Gauge.builder()
            .name("sidstream_trainer_consecutive_gated_cycles")
            .help("Cycles in a row whose candidate the gate refused; 0 after a published one.")
            .register();
    static final Histogram DURATION = Histogram.builder()
            .name("sidstream_trainer_cycle_duration_seconds")
            .help("Wall time of a training cycle: read, train, evaluate, write the checkpoint, announce.")
            .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
            .register();
    static final Gauge LOSS = Gauge.builder()
            .name("sidstream_trainer_loss")
            .help("Training loss at the end of the last committed cycle.")
            .register();
    static final Gauge RECALL_AT_10 = Gauge.builder()
            .name("sidstream_trainer_recall_at_10")
            .help("Holdout Recall@10 of the last committed cycle's candidate.")
            .register();
    static final Gauge CONSECUTIVE_FAILED = Gauge.builder()
            .name("sidstream_trainer_consecutive_failed_cycles")
            .help("Cycles in a row that failed; 0 after one that did not. The scheduler backs off while it grows.")
            .register();
    static final Counter EXAMPLES = Counter.builder()
            .name("sidstream_trainer_examples_total")
            .help("Training examples read from the examples topic by committed cycles.")
            .register();

    private TrainerMetrics() {}

    static void committed(CycleResult result, double loss, double seconds) {
        CYCLES.labelValues(result.published() ? "published" : "gated").inc();
        if (result.published()) {
            CONSECUTIVE_GATED.set(0);
        } else {
            CONSECUTIVE_GATED.inc();
        }
        DURATION.observe(seconds);
        if (Double.isFinite(loss)) {
            LOSS.set(loss);
        }
        if (result.candidate() != null) {
            RECALL_AT_10.set(result.candidate().recallAt10());
        }
        EXAMPLES.inc(result.newExamples());
    }

    static void failed(double seconds) {
        CYCLES.labelValues("failed").inc();
        DURATION.observe(seconds);
    }
}
