package io.sidstream.trainer.cycle;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code trainer.cycle}: triggers, budget, replay, holdout and gate of the incremental cycles. */
public record CycleConfig(
        Duration interval,
        long minNewExamples,
        Duration checkInterval,
        long maxSteps,
        Duration maxTime,
        double replayFraction,
        int replayReservoir,
        double holdoutFraction,
        double gateTolerance,
        int beamWidth,
        Duration pollTimeout,
        String groupId,
        Duration retryBackoff,
        Duration maxRetryBackoff) {

    public CycleConfig {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("trainer.cycle.interval must be positive, got " + interval);
        }
        if (minNewExamples < 0) {
            throw new IllegalArgumentException("trainer.cycle.min-new-examples must be >= 0, got " + minNewExamples);
        }
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("trainer.cycle.max-steps must be > 0, got " + maxSteps);
        }
        if (replayFraction < 0) {
            throw new IllegalArgumentException("trainer.cycle.replay-fraction must be >= 0, got " + replayFraction);
        }
        if (replayReservoir < 0) {
            throw new IllegalArgumentException("trainer.cycle.replay-reservoir must be >= 0, got " + replayReservoir);
        }
        if (holdoutFraction < 0 || holdoutFraction >= 1) {
            throw new IllegalArgumentException(
                    "trainer.cycle.holdout-fraction must be in [0, 1), got " + holdoutFraction);
        }
        if (gateTolerance < 0) {
            throw new IllegalArgumentException("trainer.cycle.gate-tolerance must be >= 0, got " + gateTolerance);
        }
        if (retryBackoff.isNegative() || retryBackoff.isZero() || maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("trainer.cycle.retry-backoff must be positive and at most "
                    + "trainer.cycle.max-retry-backoff, got " + retryBackoff + " and " + maxRetryBackoff);
        }
        if (beamWidth < 10) {
            throw new IllegalArgumentException("trainer.cycle.beam-width must be >= 10 (Recall@10), got " + beamWidth);
        }
    }

    public static CycleConfig from(Config cycle) {
        return new CycleConfig(
                cycle.getDuration("interval"),
                cycle.getLong("min-new-examples"),
                cycle.getDuration("check-interval"),
                cycle.getLong("max-steps"),
                cycle.getDuration("max-time"),
                cycle.getDouble("replay-fraction"),
                cycle.getInt("replay-reservoir"),
                cycle.getDouble("holdout-fraction"),
                cycle.getDouble("gate-tolerance"),
                cycle.getInt("beam-width"),
                cycle.getDuration("poll-timeout"),
                cycle.getString("group-id"),
                cycle.getDuration("retry-backoff"),
                cycle.getDuration("max-retry-backoff"));
    }
}
