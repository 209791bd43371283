package io.sidstream.trainer;

import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.ModelShapes;
import io.sidstream.trainer.train.TrainingSettings;

/** Small model and training settings the tests share; the shapes are model's ({@link ModelShapes}). */
public final class TestModels {

    private TestModels() {}

    /** {@link ModelShapes#small()}. */
    public static ModelConfig small() {
        return ModelShapes.small();
    }

    /** {@link ModelShapes#withItemBucketsAndWideHead()}. */
    public static ModelConfig withItemBucketsAndWideHead() {
        return ModelShapes.withItemBucketsAndWideHead();
    }

    public static TrainingSettings training() {
        return new TrainingSettings(32, 3e-3f, 1f, 7);
    }
}
