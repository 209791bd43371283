package io.sidstream.model.config;

/** Small model shapes the tests of model, trainer and serving share (model's test-jar). */
public final class ModelShapes {

    private ModelShapes() {}

    /** 3 levels x 256 codes + 64 collision tokens, as the default codebook; a small transformer. */
    public static ModelConfig small() {
        return new ModelConfig(3, 256, 64, 64, 2, 2, 128, 20, 16, 8, 16, 1, 0.5, 0, 0, 0.0, 0, false, 0, 0);
    }

    /**
     * The small model with every optional part: hashed item ids, a code head wider than the transformer, a cluster
     * head, dropout, the catalogue softmax, the wide part and the transition prior.
     */
    public static ModelConfig withItemBucketsAndWideHead() {
        return new ModelConfig(
                3, 256, 64, 64, 2, 2, 128, 20, 16, 8, 16, 1, 0.5, 1000, 96, 0.3, 32, true, 4096, 2, true, 2.0, 2, 1.0,
                1.0);
    }
}
