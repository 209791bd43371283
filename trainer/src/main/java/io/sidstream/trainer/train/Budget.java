package io.sidstream.trainer.train;

import java.time.Duration;

/**
 * When a training run stops: after {@code maxSteps} optimizer steps or {@code maxTime}, whichever comes first.
 */
public record Budget(long maxSteps, Duration maxTime) {

    public Budget {
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("a training budget needs max steps > 0, got " + maxSteps);
        }
        if (maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("a training budget needs a positive time, got " + maxTime);
        }
    }

    public static Budget steps(long steps) {
        return new Budget(steps, Duration.ofDays(1));
    }
}
