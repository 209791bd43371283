package io.sidstream.serving.model;

import io.sidstream.core.config.SidstreamConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PyTorch's intra-op and inter-op thread pools for a serving process ({@code serving.inference-threads}). A serving
 * request is a chain of small tensor operations, where handing each one to a pool costs more than it saves, and the
 * node already runs one request per HTTP thread: one thread per operation measured 2x lower latency and 2x more
 * requests/s than the default (one per core) in the serve benchmark. Must run before the engine starts; a value
 * already given on the command line ({@code -Dai.djl.pytorch.num_threads}) wins.
 */
public final class InferenceThreads {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceThreads.class);
    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private InferenceThreads() {}

    public static void apply(SidstreamConfig config) {
        int threads = config.section("serving").getInt("inference-threads");
        if (threads < 0) {
            throw new IllegalArgumentException(
                    "serving.inference-threads must be >= 0 (0: PyTorch's default), got " + threads);
        }
        if (threads > 0) {
            if (System.getProperty(INTRA_OP) == null) {
                System.setProperty(INTRA_OP, Integer.toString(threads));
            }
            if (System.getProperty(INTER_OP) == null) {
                System.setProperty(INTER_OP, Integer.toString(threads));
            }
        }
        LOG.info(
                "PyTorch threads per operation: {} (inter-op {})",
                System.getProperty(INTRA_OP, "default"),
                System.getProperty(INTER_OP, "default"));
    }
}
