package io.sidstream.tokenizer.codebook;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Where codebook training asks whether to give up: between Lloyd iterations and between RQ-VAE steps, each well under
 * a second, so a process told to stop (SIGTERM during {@code sidstream up}'s start or {@code codebook train}) does so
 * within about a second instead of after the whole training. A cooperative flag rather than the thread's interrupt,
 * which would also break the file and Kafka writes that follow a finished training.
 */
final class TrainingStop {

    private TrainingStop() {}

    /** Throws {@link CancellationException} once {@code stopRequested} says so; nothing of the training is kept. */
    static void check(BooleanSupplier stopRequested) {
        if (stopRequested.getAsBoolean()) {
            throw new CancellationException("codebook training stopped before it finished: nothing was stored");
        }
    }
}
