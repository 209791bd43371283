package io.sidstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {

    @Test
    void aNonFiniteGradientIsZeroedInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weights = manager.create(new float[] {1f, 2f, 3f});
            weights.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(weights.mul(Float.NaN).sum());
            }
            assertThat(weights.getGradient().toFloatArray()).containsOnly(Float.NaN);

            ModelTrainer.zero(weights.getGradient());

            assertThat(weights.getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
        }
    }
}
