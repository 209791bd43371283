package io.sidstream.trainer.train;

import com.typesafe.config.Config;

/**
 * How a model is trained: batch size, Adam's learning rate, gradient clipping, and the seed of parameter
 * initialisation and shuffling.
 */
public record TrainingSettings(int batchSize, float learningRate, float clipGradient, long seed) {

    public TrainingSettings {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("trainer.training.batch-size must be > 0, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("trainer.training.learning-rate must be > 0, got " + learningRate);
        }
        if (!(clipGradient > 0)) {
            throw new IllegalArgumentException("trainer.training.clip-gradient must be > 0, got " + clipGradient);
        }
    }

    /** Reads {@code trainer.training}. */
    public static TrainingSettings from(Config training) {
        return new TrainingSettings(training.getInt("batch-size"), (float) training.getDouble("learning-rate"),
                (float) training.getDouble("clip-gradient"), training.getLong("seed"));
    }
}
