package io.sidstream.tokenizer.job;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads that arrived before their embedding space had any codebook: they wait in the job's state and get their SID
 * when one is published, but until then nothing else would say they exist. Each is counted (the alert
 * {@code SidstreamUploadsAwaitingCodebook} fires on the count growing), and the first of each space is logged.
 */
final class AwaitingCodebook {

    private static final Logger LOG = LoggerFactory.getLogger(AwaitingCodebook.class);

    static final Counter UPLOADS = Counter.builder().name("sidstream_sid_uploads_awaiting_codebook_total")
            .help("Uploads that arrived while their embedding space (model) had no codebook; they get a SID once one "
                    + "is published.")
            .labelNames("model").register();
    /** Spaces already logged by this JVM: one line per space, not one per upload. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private AwaitingCodebook() {
    }

    static void upload(String videoId, String embeddingModel) {
        UPLOADS.labelValues(embeddingModel).inc();
        if (LOGGED.add(embeddingModel)) {
            LOG.warn("upload {} waits for a SID: embedding space {} has no codebook yet (publish one with sidstream "
                    + "codebook train|publish); further uploads of the space are counted in "
                    + "sidstream_sid_uploads_awaiting_codebook_total", videoId, embeddingModel);
        }
    }
}
