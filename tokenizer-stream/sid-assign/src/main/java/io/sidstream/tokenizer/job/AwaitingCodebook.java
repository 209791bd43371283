package io.sidstream.tokenizer.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads that arrived before their embedding space had any codebook: they wait in the job's state and get their SID
 * when one is published, but until then nothing else would say they exist. Each is counted per space (the alert
 * {@code SidstreamUploadsAwaitingCodebook} fires on the count growing) and the first of each space is logged. The
 * count goes to the operator's metric group, which Flink's reporter exports from a TaskManager (the group's
 * {@code model} key becomes the label), and to the JVM's registry, which {@code up} serves on its own /metrics.
 */
final class AwaitingCodebook {

    static final io.prometheus.metrics.core.metrics.Counter UPLOADS =
            io.prometheus.metrics.core.metrics.Counter.builder()
                    .name("sidstream_sid_uploads_awaiting_codebook_total")
                    .help(
                            "Uploads that arrived while their embedding space (model) had no codebook; they get a SID once one "
                                    + "is published.")
                    .labelNames("model")
                    // no exemplars: their scheduler thread, started from the job's class loader, would outlive the job
                    .withoutExemplars()
                    .register();

    private static final Logger LOG = LoggerFactory.getLogger(AwaitingCodebook.class);
    /** Spaces already logged by this JVM: one line per space, not one per upload. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final MetricGroup operator;
    /** A Flink group registers a name once: each of the few embedding spaces keeps its counter. */
    private final Map<String, Counter> bySpace = new HashMap<>();

    AwaitingCodebook(MetricGroup operator) {
        this.operator = operator;
    }

    void upload(String videoId, String embeddingModel) {
        bySpace.computeIfAbsent(
                        embeddingModel,
                        model -> operator.addGroup("model", model)
                                .counter("sidstream_sid_uploads_awaiting_codebook_total"))
                .inc();
        UPLOADS.labelValues(embeddingModel).inc();
        if (LOGGED.add(embeddingModel)) {
            LOG.warn(
                    "upload {} waits for a SID: embedding space {} has no codebook yet (publish one with sidstream "
                            + "codebook train|publish); further uploads of the space are counted in "
                            + "sidstream_sid_uploads_awaiting_codebook_total",
                    videoId,
                    embeddingModel);
        }
    }
}
