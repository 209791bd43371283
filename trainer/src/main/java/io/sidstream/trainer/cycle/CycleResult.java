package io.sidstream.trainer.cycle;

import io.sidstream.trainer.eval.HoldoutMetrics;

/**
 * The record of one cycle.
 *
 * @param version         checkpoint version written (null when the cycle had no new data)
 * @param trigger         what started it: schedule, data, on-demand
 * @param newExamples     examples read from the source this cycle
 * @param trainedNew      new examples trained on (the previous holdout plus this cycle's non-holdout part)
 * @param replayed        older examples mixed in
 * @param holdout         examples held out for evaluation (trained on next cycle)
 * @param dropped         examples that did not fit the model or came from an older codebook
 * @param steps           optimizer steps
 * @param trainSeconds    training time
 * @param fromScratch     trained from a fresh model (first cycle or codebook change)
 * @param candidate       holdout figures of the new model
 * @param serving         holdout figures of the model serving before this cycle, or null
 * @param published       whether the gate published the new model
 * @param reason          the gate's reason
 */
public record CycleResult(
        String version,
        String trigger,
        int newExamples,
        int trainedNew,
        int replayed,
        int holdout,
        int dropped,
        long steps,
        double trainSeconds,
        boolean fromScratch,
        HoldoutMetrics candidate,
        HoldoutMetrics serving,
        boolean published,
        String reason) {}
