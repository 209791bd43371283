package io.sidstream.tokenizer.embed;

import java.io.Serializable;

/** Makes a text embedder where it runs (a Flink task opens its own; models are not serializable). */
@FunctionalInterface
public interface EmbedderFactory extends Serializable {

    TextEmbedder create();

    /** all-MiniLM-L6-v2 on ONNX Runtime under the given embedding-model name. */
    static EmbedderFactory miniLm(String modelName) {
        return () -> OnnxTextEmbedder.miniLm(modelName);
    }

    /** As {@link #miniLm(String)} on {@code threads} ONNX Runtime intra-op threads (0: its default, one per core). */
    static EmbedderFactory miniLm(String modelName, int threads) {
        return () -> OnnxTextEmbedder.miniLm(modelName, threads);
    }
}
