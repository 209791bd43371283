package io.sidstream.core.deadletter;

import io.prometheus.metrics.core.metrics.Counter;

/** The platform-wide dead-letter counter, labelled by source topic, error class and rejecting stage. */
public final class DeadLetterMetrics {

    public static final Counter DEAD_LETTERS = Counter.builder()
            .name("sidstream_dead_letters_total")
            .help("Input sent to a dead-letter topic instead of being processed.")
            .labelNames("topic", "error_class", "stage")
            // counted inside Flink jobs as well: no exemplars, whose scheduler thread would pin a job's class loader
            .withoutExemplars()
            .register();

    private DeadLetterMetrics() {}

    static void count(String topic, String errorClass, String stage) {
        DEAD_LETTERS.labelValues(topic, errorClass, stage).inc();
    }
}
