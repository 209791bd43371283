package io.sidstream.tokenizer.embed;

import java.io.Serializable;

/** Makes a text embedder where it runs (a Flink task opens its own; models are not serializable). */
@FunctionalInterface
public interface EmbedderFactory extends Serializable {

    TextEmbedder create();

    /** {@code model} on ONNX Runtime with {@code threads} intra-op threads (0: its default, one per core). */
    static EmbedderFactory onnx(TextModel model, int threads) {
        return () -> OnnxTextEmbedder.open(model, threads);
    }
}
