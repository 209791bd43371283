package io.sidstream.trainer.train;

import com.typesafe.config.Config;

/**
 * How a model is trained: batch size, the optimizer (Adam, or AdamW with decoupled weight decay), the learning-rate
 * schedule (linear warm-up, then constant or a cosine decay to {@code minLearningRateRatio} of the peak over the run),
 * gradient clipping, and the seed of parameter initialisation, dropout and shuffling.
 *
 * @param weightDecay          AdamW's decoupled weight decay; 0 is plain Adam
 * @param warmupSteps          steps of linear warm-up from 0 to the learning rate (0: none)
 * @param cosineDecay          whether the learning rate follows a cosine from its peak down to
 *                             {@code minLearningRateRatio x} it at the run's last step (else it stays at its peak)
 * @param minLearningRateRatio where the cosine ends, as a share of the peak
 * @param wideLearningRate     peak learning rate of the wide part's weights (0: the learning rate). Each of its
 *                             features is seen by a handful of steps an epoch, against every step for the
 *                             transformer, so at the same rate it moves a few hundredths of a logit where the
 *                             transformer's logits span tens: it needs a rate of its own (Wide & Deep trains its wide
 *                             part with its own optimizer for the same reason)
 */
public record TrainingSettings(
        int batchSize,
        float learningRate,
        float clipGradient,
        long seed,
        float weightDecay,
        int warmupSteps,
        boolean cosineDecay,
        float minLearningRateRatio,
        float wideLearningRate) {

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
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("trainer.training.weight-decay must be >= 0, got " + weightDecay);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("trainer.training.warmup-steps must be >= 0, got " + warmupSteps);
        }
        if (!(wideLearningRate >= 0)) {
            throw new IllegalArgumentException(
                    "trainer.training.wide-learning-rate must be >= 0, got " + wideLearningRate);
        }
        if (!(minLearningRateRatio >= 0 && minLearningRateRatio <= 1)) {
            throw new IllegalArgumentException(
                    "trainer.training.min-learning-rate-ratio must be in [0, 1], got " + minLearningRateRatio);
        }
    }

    /** Plain Adam at a constant learning rate (no decay, no warm-up). */
    public TrainingSettings(int batchSize, float learningRate, float clipGradient, long seed) {
        this(batchSize, learningRate, clipGradient, seed, 0f, 0, false, 1f, 0f);
    }

    /** Reads {@code trainer.training}. */
    public static TrainingSettings from(Config training) {
        String schedule = training.getString("schedule");
        if (!schedule.equals("constant") && !schedule.equals("cosine")) {
            throw new IllegalArgumentException("trainer.training.schedule must be constant or cosine, got " + schedule);
        }
        return new TrainingSettings(
                training.getInt("batch-size"),
                (float) training.getDouble("learning-rate"),
                (float) training.getDouble("clip-gradient"),
                training.getLong("seed"),
                (float) training.getDouble("weight-decay"),
                training.getInt("warmup-steps"),
                schedule.equals("cosine"),
                (float) training.getDouble("min-learning-rate-ratio"),
                (float) training.getDouble("wide-learning-rate"));
    }

    /** The wide part's rate at a step: its own peak on the same schedule. */
    public float wideLearningRateAt(long step, long totalSteps) {
        float rate = learningRateAt(step, totalSteps);
        return wideLearningRate > 0 ? rate * wideLearningRate / learningRate : rate;
    }

    /** The learning rate at optimizer step {@code step} (from 0) of a run of {@code totalSteps} steps. */
    public float learningRateAt(long step, long totalSteps) {
        if (warmupSteps > 0 && step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        if (!cosineDecay || totalSteps <= warmupSteps) {
            return learningRate;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return (float) (learningRate * (minLearningRateRatio + (1 - minLearningRateRatio) * cosine));
    }

    public TrainingSettings withBatchSize(int size) {
        return new TrainingSettings(
                size,
                learningRate,
                clipGradient,
                seed,
                weightDecay,
                warmupSteps,
                cosineDecay,
                minLearningRateRatio,
                wideLearningRate);
    }
}
