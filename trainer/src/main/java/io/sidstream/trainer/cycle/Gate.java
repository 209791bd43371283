package io.sidstream.trainer.cycle;

import io.sidstream.trainer.eval.HoldoutMetrics;
import java.util.Locale;
import java.util.Optional;

/**
 * Publishes a candidate only if it is not worse than the serving model on the same holdout: its Recall@10 may trail
 * by at most {@code tolerance} (absolute). With nothing serving, or no holdout to judge on, the candidate passes.
 */
public final class Gate {

    /** The verdict and why. */
    public record Decision(boolean publish, String reason) {}

    private final double tolerance;

    public Gate(double tolerance) {
        if (tolerance < 0) {
            throw new IllegalArgumentException("gate tolerance must be >= 0, got " + tolerance);
        }
        this.tolerance = tolerance;
    }

    public Decision decide(HoldoutMetrics candidate, Optional<HoldoutMetrics> serving) {
        if (serving.isEmpty()) {
            return new Decision(true, "no serving model");
        }
        if (candidate.cases() == 0) {
            return new Decision(true, "empty holdout");
        }
        double floor = serving.get().recallAt10() - tolerance;
        boolean publish = candidate.recallAt10() >= floor;
        return new Decision(
                publish,
                String.format(
                        Locale.ROOT,
                        "candidate recall@10 %.4f %s serving %.4f - tolerance %.4f",
                        candidate.recallAt10(),
                        publish ? ">=" : "<",
                        serving.get().recallAt10(),
                        tolerance));
    }
}
